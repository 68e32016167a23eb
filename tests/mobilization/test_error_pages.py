"""Error pages speak the user's language, carry the site's header and offer a way back."""

from django.test import Client, override_settings
from django.urls import path, reverse

from mobilization.models import MemberUnit
from tests.base import WorldTestCase


def _fail(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _fail)]


class ErrorPageTest(WorldTestCase):
    def assert_error_page(self, response, status, heading):
        self.assertEqual(response.status_code, status)
        html = response.content.decode()
        self.assertIn('lang="zh-hans"', html)
        self.assertIn(heading, html)
        self.assertIn("国防动员办公室管理系统", html)
        self.assertIn('href="/portal/"', html)
        self.assertIn('href="/admin/"', html)
        self.assertNotIn("Not Found", html)
        self.assertNotIn("Forbidden", html)

    def test_404_is_chinese_with_a_way_back(self):
        self.assert_error_page(self.client.get("/no-such-page/"), 404, "页面不存在（404）")

    def test_404_follows_the_browser_language(self):
        response = self.client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 404)
        self.assertIn("Page not found (404)", response.content.decode())

    def test_403_for_a_read_only_role(self):
        self.login("liaison")
        response = self.client.post(
            reverse("admin:mobilization_memberunit_change", args=[self.world.a.unit.pk]), {"name": "x"}
        )
        self.assert_error_page(response, 403, "没有权限（403）")
        self.assertEqual(MemberUnit.objects.get(pk=self.world.a.unit.pk).name, self.world.a.unit.name)

    def test_csrf_failure(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("portal:login"), {"username": "x", "password": "y"})
        self.assert_error_page(response, 403, "表单已失效（403）")

    def test_400_for_a_host_not_allowed(self):
        self.assert_error_page(self.client.get("/portal/", HTTP_HOST="evil.example"), 400, "请求有误（400）")

    @override_settings(ROOT_URLCONF=__name__)
    def test_500_is_chinese(self):
        self.client.raise_request_exception = False
        self.assert_error_page(self.client.get("/boom/"), 500, "服务器出错（500）")
