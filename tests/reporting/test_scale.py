"""The volume seeding behind the benchmarks, on one city, and the benchmark command itself."""

import datetime
import io
from types import SimpleNamespace
from unittest import mock

from django.core.management import call_command

from inspections import scale as inspections_scale
from inspections.models import InspectionReport
from members import scale as members_scale
from members.models import Membership, Person
from mobilization import scale
from mobilization.models import Region
from reporting.sections import compute_figures
from teams import scale as teams_scale
from teams.models import Team, TeamType
from tests.base import WorldTestCase
from training.models import Assessment, Attendance, Exercise

ONE_CITY = [("05", "东营市")]


class ScaleSeedTest(WorldTestCase):
    def seed(self):
        ctx = SimpleNamespace(
            scale="province", today=datetime.date(2025, 7, 1), stdout=io.StringIO(), users=self.world.users
        )
        with mock.patch.object(scale, "SHANDONG_CITIES", ONE_CITY):
            scale.seed(ctx)

    def test_one_city_has_the_planned_volume_and_a_second_run_changes_nothing(self):
        self.seed()
        city = Region.objects.get(code="370500000000")
        teams = Team.objects.filter(region__code__startswith="3705")
        self.assertEqual(teams.count(), scale.COUNTIES * teams_scale.TEAMS_PER_COUNTY)
        people = Person.objects.filter(memberships__team__in=teams).count()
        self.assertEqual(people, teams.count() * members_scale.PEOPLE_PER_TEAM)
        exercises = Exercise.objects.filter(office__region__code__startswith="3705")
        self.assertEqual(exercises.count(), scale.COUNTIES * 12)
        # Each team is at four of its county's twelve exercises, with every member expected.
        self.assertEqual(Attendance.objects.filter(exercise__in=exercises).count(), people * 4)
        self.assertEqual(Assessment.objects.filter(exercise__in=exercises).count(), teams.count() * 4)
        # The statistics see the same volume through the section registry.
        figures = compute_figures(city, datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))
        by_level = next(s for s in figures["sections"] if s["key"] == "teams_by_level")
        self.assertEqual(sum(row[1] for row in by_level["rows"]), teams.count())
        self.assertEqual(sum(row[3] for row in by_level["rows"]), people)
        reports = inspections_scale.FACILITIES_PER_TOWNSHIP * inspections_scale.REPORTS_PER_FACILITY
        filed = InspectionReport.objects.filter(facility__region__code__startswith="3705").count()
        self.assertEqual(filed, scale.COUNTIES * scale.TOWNSHIPS * reports)

        counts = (Region.objects.count(), Team.objects.count(), Membership.objects.count(), Attendance.objects.count())
        self.seed()
        self.assertEqual(
            (Region.objects.count(), Team.objects.count(), Membership.objects.count(), Attendance.objects.count()),
            counts,
        )


class BenchCommandTest(WorldTestCase):
    def test_prints_page_floor_ratio_and_queries_per_endpoint_and_the_snapshot(self):
        Team.objects.create(
            name="张店区消防救援队",
            team_type=TeamType.objects.first(),
            level="county",
            region=self.world.a.county,
            unit=self.world.a.unit,
            authorised_strength=10,
        )
        out = io.StringIO()
        call_command(
            "bench_api",
            "--repeat",
            "1",
            "--only",
            "team",
            "memberunit",
            "--region",
            "370000000000",
            "--levels",
            "superuser",
            "city",
            stdout=out,
        )
        text = out.getvalue()
        rows = [line.split() for line in text.splitlines() if line.startswith("team ")]
        # Per user (superuser, then the city office): the first page and a page of 500 (one page only).
        self.assertEqual([(r[1], r[2], r[3]) for r in rows], [("1", "50", "1"), ("1", "500", "1")] * 2)
        self.assertTrue(all(r[6].endswith("x") for r in rows))  # the ratio against the floor
        self.assertIn("city 淄博市", text)
        self.assertIn("memberunit", text)
        self.assertIn("page /admin/members/person/?q=张", text)
        self.assertIn("page /dashboard/", text)
        self.assertIn("post /dashboard/refresh/", text)
        self.assertIn("snapshot", text)
