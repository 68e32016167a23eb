"""The dashboard in a real browser: the office logs in, the charts render without console
errors, the region filter changes the figures and "generate now" reaches its end."""

import os

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from reporting.models import StatisticsSnapshot
from tests.base import World, restore_migrated_rows

from .data import build
from .worker import celery_worker

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.browser
class DashboardBrowserTest(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        restore_migrated_rows()
        self.world = World()
        build(self.world)
        self.page = self.browser.new_page(viewport={"width": 1600, "height": 1000})
        self.errors = []
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))

    def tearDown(self):
        self.page.close()

    def log_in(self, username):
        self.page.goto(f"{self.live_server_url}/portal/login/?next=/dashboard/%3Fdate%3D2025-03-15")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", World.PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_selector("[data-testid=dashboard]")

    def headline(self):
        return self.page.locator("[data-testid=headline-value]").all_inner_texts()

    def test_charts_render_and_the_region_filter_changes_the_figures(self):
        page = self.page
        self.log_in("t_city_office")
        self.assertEqual(page.inner_text("[data-testid=region-name]"), self.world.a.city.name)
        # Every drawn section has a canvas that Chart.js has taken over.
        page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length > 0")
        drawn = page.evaluate(
            "Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => !!(c.chart && c.width > 0))"
        )
        self.assertGreaterEqual(len(drawn), 5)
        self.assertTrue(all(drawn))
        city = self.headline()
        self.assertEqual(city[0], "2")  # two teams in the city (both in Zhangdian)

        # A township of the district holds only one of them.
        page.select_option("[data-testid=region-filter]", self.world.a.county.code)
        page.click("[data-testid=apply-filters]")
        page.wait_for_selector(f"text={self.world.a.county.name}")
        self.assertEqual(page.inner_text("[data-testid=region-name]"), self.world.a.county.name)
        page.goto(f"{self.live_server_url}/dashboard/?region={self.world.a.township.code}&date=2025-03-15")
        township = self.headline()
        self.assertEqual(township[0], "1")
        self.assertNotEqual(city, township)
        self.assertEqual(self.errors, [])

    def test_generate_now_shows_progress_until_done(self):
        page = self.page
        self.log_in("t_office")
        with celery_worker():  # through Redis and a real worker when REDIS_URL is set
            page.click("[data-testid=generate]")
            page.wait_for_selector(
                "[data-testid=generate-download]:not([hidden])", timeout=120000
            )  # a wait, not a measure
        self.assertEqual(page.get_attribute("[data-testid=generate-state]", "data-state"), "done")
        snapshot = StatisticsSnapshot.objects.get(region=self.world.a.county, period_kind="monthly")
        # The new snapshot is listed without a reload, and "no snapshots yet" is gone.
        self.assertEqual(page.get_attribute("[data-testid=snapshot-new]", "data-snapshot"), str(snapshot.pk))
        self.assertFalse(page.locator("#no-snapshots").is_visible())
        with page.expect_download() as download:
            page.click("[data-testid=generate-download]")
        self.assertTrue(download.value.suggested_filename.endswith(".xlsx"))
        self.assertEqual(self.errors, [])

    def test_a_phone_shows_one_column_without_sideways_scrolling(self):
        page = self.page
        page.set_viewport_size({"width": 390, "height": 844})
        self.log_in("t_office")
        page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length > 0")
        layout = page.evaluate(
            """() => ({
                page: document.documentElement.scrollWidth,
                viewport: window.innerWidth,
                lefts: new Set(Array.from(document.querySelectorAll('.sections > section'))
                    .map(s => Math.round(s.getBoundingClientRect().left))).size,
                widest: Math.max(...Array.from(document.querySelectorAll('canvas[data-chart]'))
                    .map(c => c.getBoundingClientRect().right)),
            })"""
        )
        self.assertLessEqual(layout["page"], layout["viewport"])
        self.assertEqual(layout["lefts"], 1)  # the sections stack in one column
        self.assertLessEqual(layout["widest"], layout["viewport"])
        self.assertEqual(self.errors, [])
