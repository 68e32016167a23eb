"""Two factors in a real browser: a workstation director, whose role needs them, logs in to the
admin with a password, is sent to enrol, scans (reads) the key, confirms with the app's code,
keeps the recovery codes, reaches the admin; at the next login the admin asks for the code."""

import base64
import time

import pytest
from django.test import override_settings
from django_otp.oath import TOTP

from tests.base import World
from tests.browser import PHONE, BrowserTestCase


def code_for(secret, *, steps_ahead=0):
    totp = TOTP(base64.b32decode(secret), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


@pytest.mark.browser
@override_settings(OTP_REQUIRED=True)
class TwoFactorBrowserTest(BrowserTestCase):
    def setUp(self):
        self.world = World()

    def test_enrol_then_log_in_to_the_admin_with_a_code(self):
        page = self.new_page()
        self.log_in(page, "t_director", at="/admin/login/", next_url="/admin/")
        page.wait_for_selector("[data-testid=otp-qr] svg")
        self.assertIn("/portal/otp/enrol/", page.url)
        secret = page.inner_text("[data-testid=otp-secret]").replace(" ", "")

        page.fill("input[name=code]", code_for(secret))
        with page.expect_navigation():
            page.click("main [type=submit]")
        codes = page.locator("[data-testid=recovery-codes] li")
        self.assertEqual(codes.count(), 10)
        with page.expect_navigation():
            page.click("[data-testid=continue]")
        self.assertTrue(page.url.endswith("/admin/"), page.url)
        self.assertTrue(page.locator("#user-tools").is_visible())

        with page.expect_navigation():
            page.click("#logout-form button")
        self.log_in(page, "t_director", at="/admin/login/", next_url="/admin/")
        self.assertIn("/portal/otp/verify/", page.url)
        # The code just used is spent: the phone's next one (within the allowed drift) opens it.
        page.fill("input[name=code]", code_for(secret, steps_ahead=1))
        with page.expect_navigation():
            page.click("main [type=submit]")
        self.assertTrue(page.url.endswith("/admin/"), page.url)
        self.assertTrue(page.locator("#user-tools").is_visible())
        self.assertEqual(page.errors, [], page.errors)

    def test_a_password_alone_does_not_open_the_admin(self):
        page = self.new_page()
        self.log_in(page, "t_office", at="/admin/login/", next_url="/admin/")
        self.assertIn("/portal/otp/enrol/", page.url)
        page.goto(f"{self.live_server_url}/admin/mobilization/memberunit/")
        self.assertIn("/portal/otp/", page.url)
        self.assertEqual(page.locator("#result_list").count(), 0)


@pytest.mark.browser
class PasswordBrowserTest(BrowserTestCase):
    def setUp(self):
        self.world = World()

    def test_an_inspector_changes_the_password_on_a_phone(self):
        page = self.new_page(viewport=PHONE)
        self.log_in(page, "t_inspector")
        with page.expect_navigation():
            page.click("[data-testid=tile-security]")
        with page.expect_navigation():
            page.click("[data-testid=change-password]")
        page.fill("input[name=old_password]", World.PASSWORD)
        page.fill("input[name=new_password1]", "Grid-walk-2027")
        page.fill("input[name=new_password2]", "Grid-walk-2027")
        with page.expect_navigation():
            page.click("main [type=submit]")
        self.assertTrue(page.url.endswith("/portal/security/"), page.url)
        self.assertTrue(page.locator(".messages li").is_visible())
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"])
        self.assertTrue(
            self.world.users["inspector"].__class__.objects.get(username="t_inspector").check_password("Grid-walk-2027")
        )
        self.assertEqual(page.errors, [], page.errors)
