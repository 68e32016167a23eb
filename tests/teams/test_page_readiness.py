"""Readiness computed for the page's rows only (`with_page_readiness`): the same figures and
reasons as the annotation of every row, a list SQL that carries none of it (so a deep page costs
what the first costs), and the annotation of every row kept where a list filters or sorts on it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams.models import Team
from teams.querysets import READINESS_FIELDS
from tests.base import WorldTestCase
from tests.factories import add_equipment, add_member, make_team, make_type


class PageReadinessTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        team_type, kind, item = make_type(min_headcount=2)
        for i in range(5):
            team = make_team(cls.world.a, team_type=team_type)
            for _ in range(i):
                add_member(team, kinds=[kind] if i % 2 else ())
            add_equipment(team, item, i)

    def test_the_same_figures_and_reasons_as_the_annotation_of_every_row(self):
        everyone = {t.pk: t for t in Team.objects.with_readiness()}
        paged = list(Team.objects.order_by("pk").with_page_readiness()[1:4])
        self.assertEqual(len(paged), 3)
        for team in paged:
            full = everyone[team.pk]
            self.assertEqual([getattr(team, f) for f in READINESS_FIELDS], [getattr(full, f) for f in READINESS_FIELDS])
            self.assertEqual(team.readiness, full.readiness)
        self.assertIn(False, {t.ready for t in paged})

    def test_the_list_sql_carries_no_readiness_and_a_deep_page_costs_the_same_queries(self):
        self.as_role("city_office")
        url = reverse("api:team-list")
        counts = []
        self.client.get(url)  # the first request of a user warms the per-process caches (permissions)
        for page in (1, 2):
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(url, {"page_size": 2, "page": page})
            self.assertEqual(response.status_code, 200)
            self.assertEqual(len(response.json()["results"]), 2)
            self.assertTrue(all("ready" in row["readiness"] for row in response.json()["results"]))
            listing = [q["sql"] for q in captured.captured_queries if "LIMIT" in q["sql"] and "teams_team" in q["sql"]]
            self.assertFalse(any("teams_standbyduty" in sql for sql in listing[:1]), listing[:1])
            counts.append(len(captured.captured_queries))
        self.assertEqual(counts[0], counts[1])

    def test_filtering_and_sorting_on_readiness_still_work(self):
        self.as_role("city_office")
        url = reverse("api:team-list")
        ready = self.client.get(url, {"ready": "true"}).json()["results"]
        not_ready = self.client.get(url, {"ready": "false"}).json()["results"]
        self.assertTrue(ready and not_ready)
        self.assertTrue(all(row["readiness"]["ready"] for row in ready))
        by_headcount = self.client.get(url, {"ordering": "-current_headcount"}).json()["results"]
        heads = [row["readiness"]["headcount"] for row in by_headcount]
        self.assertEqual(heads, sorted(heads, reverse=True))

    def test_the_admin_changelist_shows_readiness_of_its_page(self):
        self.login("city_office")
        response = self.client.get(reverse("admin:teams_team_changelist"))
        self.assertContains(response, "not-ready")
        response = self.client.get(reverse("admin:teams_team_changelist"), {"ready": "no"})
        self.assertContains(response, "not-ready")
