"""A real headless browser for tests: Playwright driving Debian's chromium against a live server.

Subclass `BrowserTestCase`, mark the class `@pytest.mark.browser`, and use `self.new_page()` and
`self.log_in(...)`. Console errors, page errors and HTTP errors of each page are collected in
`page.errors`, so a test can assert a page ran cleanly.
"""

import os

from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from tests.base import World, restore_migrated_rows

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


class BrowserTestCase(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
        # body are still synchronous and safe.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    @classmethod
    def _pre_setup(cls):
        super()._pre_setup()
        restore_migrated_rows()

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def new_page(self, viewport=DESKTOP, locale="zh-CN", **options):
        context = self.browser.new_context(viewport=viewport, locale=locale, **options)
        self.addCleanup(context.close)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("response", lambda r: r.status >= 400 and page.errors.append(f"{r.status} {r.url}"))
        return page

    def log_in(self, page, username, *, password=World.PASSWORD, at="/portal/login/", next_url=""):
        """Log in through the real login form (admin or portal) and wait for the next page."""
        url = f"{self.live_server_url}{at}" + (f"?next={next_url}" if next_url else "")
        page.goto(url)
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("[type=submit]")
