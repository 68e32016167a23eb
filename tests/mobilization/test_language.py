"""The language switch is on every page a person meets first, the admin login included."""

from django.test import TestCase
from django.urls import reverse


class LanguageSwitchTest(TestCase):
    def test_admin_login_offers_the_switch_and_it_changes_the_language(self):
        page = self.client.get(reverse("admin:login")).content.decode()
        self.assertIn('data-testid="login-language"', page)
        self.assertIn('lang="zh-hans"', page)
        self.assertIn("登录", page)
        response = self.client.post(
            reverse("set_language"), {"language": "en", "next": reverse("admin:login")}, follow=True
        )
        self.assertIn('lang="en"', response.content.decode())
        self.assertIn("Log in", response.content.decode())

    def test_portal_login_offers_the_switch(self):
        page = self.client.get(reverse("portal:login")).content.decode()
        self.assertIn('name="language"', page)
        self.assertIn("English", page)
