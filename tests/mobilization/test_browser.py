"""The admin and the portal in a real browser: office staff log in through the admin's form and
read it in Chinese, switch it to English, see only their own region, and out-of-scope rows
answer 404; a liaison logs in to the portal on a phone."""

import pytest

from mobilization.models import MemberUnit
from tests.base import World
from tests.browser import PHONE, BrowserTestCase


@pytest.mark.browser
class AdminBrowserTest(BrowserTestCase):
    def setUp(self):
        self.world = World()

    def test_office_reads_chinese_switches_to_english_and_sees_only_its_region(self):
        page = self.new_page()
        self.log_in(page, "t_office", at="/admin/login/", next_url="/admin/")
        self.assertIn("成员单位", page.inner_text("#content"))

        page.select_option("[data-testid=admin-language]", "en")
        page.wait_for_selector("text=Member units")
        self.assertNotIn("成员单位", page.inner_text("#content"))

        page.click("text=Member units")
        page.wait_for_selector("#result_list")
        listed = page.inner_text("#result_list")
        self.assertIn(self.world.a.unit.name, listed)
        self.assertNotIn(self.world.b.unit.name, listed)

        other = MemberUnit.objects.get(pk=self.world.b.unit.pk)
        response = page.goto(f"{self.live_server_url}/admin/mobilization/memberunit/{other.pk}/change/")
        self.assertEqual(response.status, 404)

    def test_a_wrong_password_is_refused_in_chinese(self):
        page = self.new_page()
        self.log_in(page, "t_office", password="Wrong-pass-1", at="/admin/login/")
        self.assertIn("/admin/login/", page.url)
        self.assertTrue(page.locator(".errornote").is_visible())
        self.assertRegex(page.inner_text(".errornote"), "[\u4e00-\u9fff]")


@pytest.mark.browser
class PortalBrowserTest(BrowserTestCase):
    def setUp(self):
        self.world = World()

    def test_liaison_logs_in_on_a_phone_and_reaches_the_portal_home(self):
        page = self.new_page(viewport=PHONE)
        self.log_in(page, "t_unit")
        self.assertTrue(page.url.rstrip("/").endswith("/portal"), page.url)
        # Nothing wider than the phone: no sideways scrolling on the home page.
        width = page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, PHONE["width"])
        self.assertEqual(page.errors, [], page.errors)
