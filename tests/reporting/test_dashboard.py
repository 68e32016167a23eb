"""The dashboard page: scoped by region, refused to roles without statistics, linked from the admin."""

import datetime

from django.urls import reverse

from tests.base import WorldTestCase

from .data import build


class DashboardTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.data = build(cls.world)

    def get(self, **params):
        return self.client.get(reverse("dashboard:index"), params)

    def test_office_sees_its_region_with_every_section(self):
        self.login("office")
        response = self.get(kind="monthly", date="2025-03-15")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["region"], self.world.a.county)
        self.assertContains(response, 'data-testid="section-teams_by_level"')
        self.assertContains(response, "vendor/chartjs/chart.umd.js")
        levels = next(s for s in response.context["figures"]["sections"] if s["key"] == "teams_by_level")
        self.assertEqual(sum(r[1] for r in levels["rows"]), 2)

    def test_region_filter_is_scoped(self):
        self.login("city_office")
        city = self.get(region=self.world.a.city.code, date="2025-03-15").context["figures"]
        self.assertEqual(city["region"], self.world.a.city.code)
        for role, code in (("city_office", self.world.b.city.code), ("office", self.world.a.city.code)):
            with self.subTest(role=role, region=code):
                self.login(role)
                self.assertEqual(self.get(region=code).status_code, 404)

    def test_roles_without_statistics_are_refused(self):
        for role in ("unit", "inspector", "director", "auditor"):
            with self.subTest(role=role):
                self.login(role)
                self.assertEqual(self.get().status_code, 403)
        self.client.logout()
        self.assertEqual(self.get().status_code, 302)

    def test_admin_index_links_the_dashboard(self):
        self.login("office")
        self.assertContains(self.client.get(reverse("admin:index")), reverse("dashboard:index"))
        self.login("auditor")
        self.assertNotContains(self.client.get(reverse("admin:index")), reverse("dashboard:index"))

    def test_rates_without_a_denominator_show_a_dash_on_the_page_and_in_the_workbook(self):
        import io

        from openpyxl import load_workbook

        from reporting import selectors, services
        from training.models import Exercise

        Exercise.objects.create(
            title="空演练", level="county", kind="joint", subject="消防", office=self.world.a.office,
            start_date=datetime.date(2025, 3, 3), end_date=datetime.date(2025, 3, 3), status="completed",
        )  # fmt: skip
        self.login("office")
        response = self.get(kind="monthly", date="2025-03-15")
        headline = {tile["label"]: tile["value"] for tile in response.context["headline"]}
        self.assertEqual(headline["参训率"], "—")
        self.assertInHTML("<td>军地联合训练</td>", response.content.decode(), count=1)
        self.assertNotContains(response, "<td>None</td>")
        figures = selectors.statistics_figures(
            self.world.a.county, datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)
        )
        book = load_workbook(io.BytesIO(services.figures_workbook_bytes(figures)))
        exercises = next(s for s in figures["sections"] if s["key"] == "exercises")
        sheet = book.worksheets[1 + figures["sections"].index(exercises)]
        self.assertEqual([c.value for c in sheet[2]][3:], ["—", "—", "—"])

    def test_standby_of_a_running_period_stops_at_now(self):
        from django.utils import timezone

        from reporting.sections import compute_section
        from teams.models import StandbyDuty

        now = timezone.now()
        StandbyDuty.objects.create(
            team=self.data.t2, start=now - datetime.timedelta(hours=2), end=now + datetime.timedelta(hours=10),
            officer_name="乙", officer_phone="1",
        )  # fmt: skip
        today = timezone.localdate()
        start = today.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        rows = compute_section("standby_coverage", self.world.a.county.prefix, start, end)["rows"]
        hours = sum(r[4] for r in rows)
        # The 2 hours served (fewer just after the month began), not the 10 hours still ahead.
        self.assertLess(hours, 2.1)
        self.assertGreater(hours, 0)
