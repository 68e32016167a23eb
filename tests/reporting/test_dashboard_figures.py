"""The dashboard from stored figures: one row per region, period and language, equal to a live
compute when stored; shown while fresh, shown and refreshed by the queued task once stale,
computed once when missing, recomputed by "refresh now"; scoped; the page a flat handful of
queries from a district to a province."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from mobilization.choices import RoleChoices
from mobilization.services import user_assign_role
from reporting import services
from reporting.models import DashboardFigures
from reporting.sections import compute_figures
from tests.base import WorldTestCase, delivered_in_process

from .data import MARCH, build, team

MONTH = {"kind": "monthly", "date": "2025-03-15"}


def teams_counted(figures):
    levels = next(s for s in figures["sections"] if s["key"] == "teams_by_level")
    return sum(row[1] for row in levels["rows"])


def live(region, language="zh-hans"):
    with translation.override(language):
        return compute_figures(region, *MARCH)


class DashboardFiguresTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.data = build(cls.world)

    def get(self, **params):
        return self.client.get(reverse("dashboard:index"), {**MONTH, **params})

    def refresh(self, **params):
        return self.client.post(reverse("dashboard:refresh"), {**MONTH, **params}, format="multipart")

    def row(self, region=None, language="zh-hans"):
        return DashboardFigures.objects.get(
            region=region or self.world.a.county, period_kind="monthly", period_start=MARCH[0], language=language
        )

    def add_team(self):
        team(self.world.a, "张店区新建救援队", "fire_rescue", "county", self.world.a.county, 5)

    def test_stored_figures_are_the_live_ones_and_are_shown_until_refreshed(self):
        self.login("office")
        first = self.get()
        self.assertEqual(first.status_code, 200)
        row = self.row()
        self.assertEqual(row.figures, live(self.world.a.county))
        self.assertEqual(first.context["figures"], row.figures)
        self.assertEqual(first.context["figures_at"], row.computed_at)
        shown = timezone.localtime(row.computed_at).strftime("%Y-%m-%d %H:%M")
        self.assertContains(first, f"数据截至 {shown}")
        self.assertContains(first, "刷新数据")
        self.assertEqual(teams_counted(row.figures), 2)

        self.add_team()
        again = self.get()  # fresh: the stored figures, not the new team
        self.assertEqual(teams_counted(again.context["figures"]), 2)
        self.assertEqual(again.context["figures_at"], row.computed_at)

        refreshed = self.refresh(region=self.world.a.county.code)
        self.assertRedirects(
            refreshed,
            f"{reverse('dashboard:index')}?region={self.world.a.county.code}&kind=monthly&date=2025-03-15",
            fetch_redirect_response=False,
        )
        row.refresh_from_db()
        self.assertEqual(row.figures, live(self.world.a.county))
        self.assertEqual(teams_counted(row.figures), 3)
        self.assertEqual(teams_counted(self.get().context["figures"]), 3)
        self.assertEqual(DashboardFigures.objects.count(), 1)

    def test_the_refresh_is_a_post_of_a_user_with_statistics(self):
        self.login("office")
        self.assertEqual(self.client.get(reverse("dashboard:refresh"), MONTH).status_code, 405)
        self.login("auditor")
        self.assertEqual(self.refresh().status_code, 403)
        self.client.logout()
        self.assertEqual(self.refresh().status_code, 302)
        self.assertFalse(DashboardFigures.objects.exists())

    def test_a_stale_row_is_shown_and_refreshed_once_by_the_task(self):
        self.login("office")
        self.get()
        old = timezone.now() - datetime.timedelta(seconds=settings.DASHBOARD_FIGURES_MAX_AGE + 5)
        DashboardFigures.objects.update(computed_at=old)
        self.add_team()
        with delivered_in_process(), self.captureOnCommitCallbacks(execute=False) as queued:
            stale = self.get()
            self.get()  # the refresh is queued already: not twice
        self.assertEqual(teams_counted(stale.context["figures"]), 2)  # shown at once, as stored
        self.assertEqual(stale.context["figures_at"], old)
        self.assertEqual(len(queued), 1)
        self.assertIsNotNone(self.row().refreshing_since)
        with delivered_in_process():
            queued[0]()  # the commit: the task runs as a worker would run it
        row = self.row()
        self.assertIsNone(row.refreshing_since)
        self.assertGreater(row.computed_at, old)
        self.assertEqual(row.figures, live(self.world.a.county))
        self.assertEqual(teams_counted(self.get().context["figures"]), 3)

    def test_a_lost_refresh_is_queued_again_after_the_lock(self):
        self.login("office")
        self.get()
        long_ago = timezone.now() - services.REFRESH_LOCK - datetime.timedelta(minutes=1)
        DashboardFigures.objects.update(computed_at=long_ago, refreshing_since=long_ago)
        with self.captureOnCommitCallbacks(execute=False) as queued:
            self.get()
        self.assertEqual(len(queued), 1)
        self.assertGreater(self.row().refreshing_since, long_ago)

    def test_a_refresh_task_finding_the_row_refreshed_computes_nothing(self):
        self.login("office")
        self.get()
        row = self.row()
        self.assertFalse(services.dashboard_figures_refresh(row_id=row.pk))  # no refresh pending
        self.assertFalse(services.dashboard_figures_refresh(row_id=row.pk + 1000))  # gone
        self.assertEqual(self.row().computed_at, row.computed_at)

    def test_a_missing_row_is_computed_once(self):
        self.login("office")
        with CaptureQueriesContext(connection) as computing:
            self.get()
        computed_at = self.row().computed_at
        with CaptureQueriesContext(connection) as reading:
            self.get()
        self.assertEqual(DashboardFigures.objects.count(), 1)
        self.assertEqual(self.row().computed_at, computed_at)
        sections = len(self.row().figures["sections"])
        self.assertGreaterEqual(len(computing) - len(reading), sections)

    def test_scoped_a_user_never_reads_another_regions_figures(self):
        b_city = self.world.b.city
        user_assign_role(username="t_b_office", role=RoleChoices.OFFICE_STAFF, region=b_city, password="x-Pass-2026")
        self.client.force_login(get_user_model().objects.get(username="t_b_office"))
        self.assertEqual(self.get().context["figures"]["region"], b_city.code)
        self.assertTrue(DashboardFigures.objects.filter(region=b_city).exists())

        self.login("city_office")
        self.assertEqual(self.get(region=b_city.code).status_code, 404)
        before = DashboardFigures.objects.get(region=b_city).computed_at
        refused = self.refresh(region=b_city.code)
        self.assertEqual(refused.status_code, 404)
        self.assertEqual(DashboardFigures.objects.get(region=b_city).computed_at, before)
        own = self.get()
        self.assertEqual(own.context["figures"]["region"], self.world.a.city.code)
        self.assertEqual(self.row(self.world.a.city).figures, own.context["figures"])
        self.assertNotEqual(own.context["figures"], DashboardFigures.objects.get(region=b_city).figures)

    def test_one_row_per_language(self):
        self.login("office")
        chinese = self.get()
        english = self.client.get(reverse("dashboard:index"), MONTH, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(chinese.context["figures"], self.row().figures)
        self.assertEqual(english.context["figures"], self.row(language="en").figures)
        self.assertEqual(self.row(language="en").figures, live(self.world.a.county, "en"))
        titles = {s["title"] for s in english.context["figures"]["sections"]}
        self.assertIn("Teams by level", titles)
        self.assertNotIn("Teams by level", {s["title"] for s in chinese.context["figures"]["sections"]})

    def test_a_snapshot_stores_the_dashboards_figures(self):
        snapshot, _created = services.snapshot_take(region=self.world.a.county, kind="monthly", period_start=MARCH[0])
        row = self.row()
        self.assertEqual(row.figures, snapshot.figures)
        self.login("office")
        self.assertEqual(self.get().context["figures_at"], row.computed_at)  # read, not computed again

    def test_the_regions_to_switch_to(self):
        a, b = self.world.a, self.world.b

        def offered(role, region):
            self.login(role)
            return [r.code for r in self.get(region=region.code).context["regions"]]

        self.assertEqual(offered("office", a.county), [a.county.code])
        self.assertEqual(offered("city_office", a.city), [a.city.code, a.county.code])
        self.assertEqual(offered("city_office", a.county), [a.city.code, a.county.code])  # back up to its own
        self.assertEqual(offered("city_office", a.township), [a.city.code, a.county.code, a.township.code])
        everything = offered("root", a.county)
        self.assertEqual(everything[-1], a.county.code)  # the wider ones first, then the chosen one
        self.assertTrue({a.province.code, a.city.code, b.city.code, b.county.code} <= set(everything))

    def test_the_page_is_a_flat_handful_of_queries_from_district_to_province(self):
        province = user_assign_role(
            username="t_province", role=RoleChoices.OFFICE_STAFF, region=self.world.a.province, password="x-Pass-2026"
        )

        def page_queries(user):
            self.client.force_login(user)
            self.get()  # the first view computes and stores the figures
            with CaptureQueriesContext(connection) as ctx:
                response = self.get()
            self.assertEqual(response.status_code, 200)
            return len(ctx)

        counts = {
            "province": page_queries(province),
            "city": page_queries(self.world.users["city_office"]),
            "district": page_queries(self.world.users["office"]),
        }
        self.assertEqual(len(set(counts.values())), 1, counts)
        self.assertLessEqual(counts["province"], 14, counts)


@override_settings(DASHBOARD_FIGURES_MAX_AGE=0)
class NoKeptFiguresTest(WorldTestCase):
    def test_with_no_age_every_view_after_the_first_queues_a_refresh(self):
        self.login("office")
        self.client.get(reverse("dashboard:index"), MONTH)
        with self.captureOnCommitCallbacks(execute=False) as queued:
            self.client.get(reverse("dashboard:index"), MONTH)
        self.assertEqual(len(queued), 1)
