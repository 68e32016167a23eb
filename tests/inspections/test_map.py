"""The facilities map in the portal and on the dashboard: Leaflet served by the site, points over a
plain grid when no tile server is set, and not one request to anywhere outside the site."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from inspections.models import Facility
from tests import factories as f
from tests.base import World
from tests.browser import DESKTOP, PHONE, BrowserTestCase


@pytest.mark.browser
class MapBrowserTest(BrowserTestCase):
    def setUp(self):
        self.world = World()
        a, inspector = self.world.a, self.world.users["inspector"]
        here = {"latitude": Decimal("36.807000"), "longitude": Decimal("118.054000")}
        covered = f.make_facility(a, kind="alarm_siren", name="已巡查警报器", **here)
        f.make_report(a, inspector, facility=covered, inspected_on=timezone.localdate())
        f.make_facility(
            a, kind="alarm_siren", name="逾期警报器", latitude=Decimal("36.812000"), longitude=Decimal("118.061000")
        )
        f.make_facility(a, name="无坐标工程")  # no coordinates: not on the map
        f.make_order(a, inspector, report=f.make_report(a, inspector, facility=covered))
        long_ago = timezone.make_aware(datetime.datetime(2020, 1, 1))
        Facility.objects.update(created=long_ago)

    def open_and_record(self, user, path, viewport):
        page = self.new_page(viewport=viewport)
        self.log_in(page, user)
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{self.live_server_url}{path}")
        page.wait_for_function(
            "document.getElementById('facility-map').getAttribute('data-ready') === '3'", timeout=20000
        )
        return page, requests

    def outside(self, requests):
        return [url for url in requests if not url.startswith((self.live_server_url, "data:", "blob:"))]

    def test_the_portal_map_loads_nothing_from_outside(self):
        page, requests = self.open_and_record("t_director", "/portal/inspections/map/", PHONE)
        self.assertEqual(page.locator(".pt-covered").count(), 1)
        self.assertEqual(page.locator(".pt-overdue").count(), 1)
        self.assertEqual(page.locator(".pt-order").count(), 1)
        self.assertTrue(any("/static/vendor/leaflet/leaflet.js" in url for url in requests), requests)
        self.assertEqual(self.outside(requests), [])
        self.assertEqual(page.errors, [], page.errors)

    def test_the_dashboard_map_loads_nothing_from_outside(self):
        page, requests = self.open_and_record("t_office", f"/dashboard/?region={self.world.a.county.code}", DESKTOP)
        self.assertEqual(page.locator("[data-testid=map] .pt-overdue").count(), 1)
        self.assertEqual(self.outside(requests), [])
        self.assertEqual(page.errors, [], page.errors)
