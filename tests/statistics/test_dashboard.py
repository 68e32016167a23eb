"""The dashboard page: scoped by region, refused to roles without statistics, linked from the admin."""

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
