"""The statistics resources through the shared bases, and the report workflow per role."""

import datetime
import io
import itertools
import time

import pytest
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mobilization.models import Notification
from reporting import selectors, services
from reporting.choices import ReportStatusChoices
from reporting.models import MemberUnitYearStatus, StatisticsReport, StatisticsSnapshot
from teams.models import Team, TeamType
from tests.base import APIScopeTestCase, World, WorldTestCase, restore_migrated_rows
from tests.conftest import require_redis

from .data import MARCH, build
from .worker import celery_worker

_months = itertools.count(0)


def _month():
    n = next(_months)
    return datetime.date(2000 + n // 12, n % 12 + 1, 1)


class StatisticsReportAPITest(APIScopeTestCase):
    model = StatisticsReport
    basename = "statisticsreport"
    # Only the district office prepares, edits and deletes its own reports; the city office reads
    # them here and decides on them through the workflow actions (tested below).
    access = {"office": "write", "city_office": "read", "liaison": "read"}
    update_payload = {"remarks": "本月队伍建设情况良好"}

    def make(self, side):
        start = _month()
        return StatisticsReport.objects.create(
            office=side.office, period_kind="monthly", period_start=start, period_end=start + datetime.timedelta(27)
        )

    def create_payload(self, side):
        return {"office": side.office.pk, "period_kind": "monthly", "period_start": _month().isoformat()}


class StatisticsSnapshotAPITest(APIScopeTestCase):
    model = StatisticsSnapshot
    basename = "statisticssnapshot"
    access = {"office": "read", "city_office": "read", "liaison": "read"}
    writable = False

    def make(self, side):
        start = _month()
        return StatisticsSnapshot.objects.create(
            region=side.county, period_kind="monthly", period_start=start, period_end=start + datetime.timedelta(27)
        )

    def create_payload(self, side):
        return {"region": side.county.pk, "period_kind": "monthly", "period_start": _month().isoformat()}


class MemberUnitYearStatusAPITest(APIScopeTestCase):
    model = MemberUnitYearStatus
    basename = "memberunityearstatus"
    access = {"office": "write", "city_office": "write", "liaison": "read", "unit": "read"}
    update_payload = {"status": "accepted"}

    def make(self, side):
        return MemberUnitYearStatus.objects.create(unit=side.unit, year=1900 + next(_months), phase="plan")

    def create_payload(self, side):
        return {"unit": side.unit.pk, "year": 1900 + next(_months), "phase": "supervision", "status": "submitted"}


class ReportWorkflowTest(WorldTestCase):
    """District office prepares and submits; the city office approves or returns; approval locks."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.data = build(cls.world)

    def url(self, report, step=None):
        name = "api:statisticsreport-detail" if step is None else f"api:statisticsreport-{step}"
        return reverse(name, args=[report.pk])

    def prepare(self):
        self.as_role("office")
        response = self.client.post(
            reverse("api:statisticsreport-list"),
            {"office": self.world.a.office.pk, "period_kind": "monthly", "period_start": MARCH[0].isoformat()},
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["period_end"], MARCH[1].isoformat())
        self.assertEqual(body["status"], ReportStatusChoices.DRAFT)
        return StatisticsReport.objects.get(pk=body["id"])

    def submit(self, report):
        self.as_role("office")
        response = self.client.post(self.url(report, "submit"), {"remarks": "已核对"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_submit_then_approve_locks_the_report(self):
        report = self.prepare()
        body = self.submit(report)
        self.assertEqual(body["status"], ReportStatusChoices.SUBMITTED)
        levels = next(s for s in body["figures"]["sections"] if s["key"] == "teams_by_level")
        self.assertEqual(sum(row[1] for row in levels["rows"]), 2)
        # The city office heard of it.
        self.assertTrue(Notification.objects.filter(recipient=self.world.users["city_office"]).exists())

        # The district office cannot approve its own report; the city office can.
        self.assertEqual(self.client.post(self.url(report, "approve")).status_code, 403)
        self.as_role("city_office")
        response = self.client.post(self.url(report, "approve"))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertTrue(response.json()["locked"])
        frozen = response.json()["figures"]

        # Later changes to the records do not alter the approved report...
        Team.objects.create(
            name="新建队伍",
            team_type=TeamType.objects.get(code="fire_rescue"),
            level="county",
            region=self.world.a.county,
            unit=self.world.a.unit,
            authorised_strength=50,
            established=datetime.date(2025, 1, 1),
        )
        self.assertNotEqual(selectors.statistics_figures(self.world.a.county, *MARCH), frozen)
        report.refresh_from_db()
        self.assertEqual(report.figures, frozen)
        # ...and every edit is refused.
        self.as_role("office")
        self.assertEqual(self.client.patch(self.url(report), {"remarks": "改"}, format="json").status_code, 400)
        self.assertEqual(self.client.delete(self.url(report)).status_code, 400)
        self.assertEqual(self.client.post(self.url(report, "submit"), {}, format="json").status_code, 400)
        self.as_role("city_office")
        self.assertEqual(self.client.post(self.url(report, "return"), {"reason": "x"}, format="json").status_code, 400)
        report.refresh_from_db()
        self.assertEqual((report.status, report.remarks, report.figures), ("approved", "已核对", frozen))

    def test_city_office_returns_and_the_office_resubmits(self):
        report = self.prepare()
        self.submit(report)
        self.as_role("city_office")
        self.assertEqual(self.client.post(self.url(report, "return"), {"reason": ""}, format="json").status_code, 400)
        response = self.client.post(self.url(report, "return"), {"reason": "人数与花名册不符"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["status"], response.json()["return_reason"]), ("returned", "人数与花名册不符")
        )
        self.as_role("office")
        self.assertEqual(self.client.patch(self.url(report), {"remarks": "已更正"}, format="json").status_code, 200)
        self.assertEqual(self.submit(report)["status"], ReportStatusChoices.SUBMITTED)

    def test_other_roles_cannot_decide(self):
        report = self.prepare()
        self.submit(report)
        expected = {"liaison": 403, "unit": 404, "inspector": 404, "director": 404, "auditor": 404}
        for role, status in expected.items():
            for step in ("approve", "return", "submit"):
                with self.subTest(role=role, step=step):
                    self.as_role(role)
                    response = self.client.post(self.url(report, step), {"reason": "x"}, format="json")
                    self.assertEqual(response.status_code, status, response.content)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatusChoices.SUBMITTED)

    def test_side_b_report_is_404_for_the_city_office(self):
        other = StatisticsReport.objects.create(
            office=self.world.b.office, period_kind="monthly", period_start=MARCH[0], period_end=MARCH[1]
        )
        self.as_role("city_office")
        self.assertEqual(self.client.post(self.url(other, "approve")).status_code, 404)

    def test_reminder_once_per_report_and_step(self):
        report = self.prepare()
        self.submit(report)
        report.refresh_from_db()
        city = self.world.users["city_office"]
        before = Notification.objects.filter(recipient=city).count()
        day = report.submitted_at.date()
        self.assertEqual(services.statistics_report_reminders(today=day + datetime.timedelta(days=1)), 0)
        services.statistics_report_reminders(today=day + datetime.timedelta(days=4))
        services.statistics_report_reminders(today=day + datetime.timedelta(days=5))
        self.assertEqual(Notification.objects.filter(recipient=city).count(), before + 1)


class SnapshotTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.data = build(cls.world)

    def test_snapshot_figures_equal_the_live_statistics(self):
        snapshot, created = services.snapshot_take(region=self.world.a.county, kind="monthly", period_start=MARCH[0])
        self.assertTrue(created)
        snapshot.refresh_from_db()
        live = selectors.statistics_figures(self.world.a.county, *MARCH)
        self.assertEqual(snapshot.figures, live)
        self.assertTrue(any(s["rows"] for s in live["sections"]))
        # Idempotent: the same period again is the same row.
        again, created = services.snapshot_take(region=self.world.a.county, kind="monthly", period_start=MARCH[0])
        self.assertEqual((again.pk, created), (snapshot.pk, False))

    def test_workbook_has_one_sheet_per_section_and_downloads_in_scope_only(self):
        snapshot, _ = services.snapshot_take(region=self.world.a.county, kind="monthly", period_start=MARCH[0])
        url = reverse("api:statisticssnapshot-download", args=[snapshot.pk])
        self.as_role("office")
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        self.assertEqual(len(book.sheetnames), 1 + len(snapshot.figures["sections"]))
        levels = next(s for s in snapshot.figures["sections"] if s["key"] == "teams_by_level")
        sheet = book.worksheets[1 + snapshot.figures["sections"].index(levels)]
        self.assertEqual([c.value for c in sheet[1]], levels["columns"])
        for role in ("unit", "inspector"):
            with self.subTest(role=role):
                self.as_role(role)
                self.assertEqual(self.client.get(url).status_code, 404)
        # The workbook is not published under any media URL.
        self.assertEqual(self.client.get("/media/" + snapshot.workbook.name).status_code, 404)

    def test_scheduled_run_recomputes_a_snapshot_generated_before_the_period_ended(self):
        county = self.world.a.county
        office = self.world.users["office"]
        # "Generate now" on 15 March for March: it holds half of the month only.
        early, _ = services.snapshot_take(region=county, kind="monthly", period_start=MARCH[0], by=office, replace=True)
        mid_march = timezone.make_aware(datetime.datetime(2025, 3, 15, 10))
        StatisticsSnapshot.objects.filter(pk=early.pk).update(generated_at=mid_march)
        notified = Notification.objects.filter(recipient=office, kind="statistics_snapshot").count()

        made = dict(
            (s.region_id, c) for s, c in services.snapshots_scheduled(kind="monthly", today=datetime.date(2025, 4, 1))
        )
        self.assertTrue(made[county.pk])
        early.refresh_from_db()
        self.assertGreater(early.generated_at, mid_march)
        self.assertIsNone(early.generated_by)
        self.assertEqual(StatisticsSnapshot.objects.filter(region=county, period_start=MARCH[0]).count(), 1)
        self.assertEqual(
            Notification.objects.filter(recipient=office, kind="statistics_snapshot").count(), notified + 1
        )

        # A second scheduled run the same day keeps it and announces nothing.
        generated = early.generated_at
        again = dict(
            (s.region_id, c) for s, c in services.snapshots_scheduled(kind="monthly", today=datetime.date(2025, 4, 1))
        )
        self.assertFalse(again[county.pk])
        early.refresh_from_db()
        self.assertEqual(early.generated_at, generated)
        self.assertEqual(
            Notification.objects.filter(recipient=office, kind="statistics_snapshot").count(), notified + 1
        )

    def test_scheduled_run_takes_each_office_once(self):
        from django.core.management import call_command

        call_command("snapshot_statistics", "--today", "2025-04-01", stdout=io.StringIO())
        count = StatisticsSnapshot.objects.count()
        # Monthly and quarterly for each of the 4 offices (2 city, 2 district).
        self.assertEqual(count, 8)
        self.assertTrue(StatisticsSnapshot.objects.filter(region=self.world.a.county, period_start=MARCH[0]).exists())
        call_command("snapshot_statistics", "--today", "2025-04-01", stdout=io.StringIO())
        self.assertEqual(StatisticsSnapshot.objects.count(), count)
        self.assertTrue(
            Notification.objects.filter(recipient=self.world.users["office"], kind="statistics_snapshot").exists()
        )

    def test_generate_now_reports_its_progress(self):
        from reporting.tasks import statistics_job_task

        self.as_role("office")
        with self.captureOnCommitCallbacks(execute=False) as enqueued:
            response = self.client.post(
                reverse("api:statisticssnapshot-generate"),
                {"region": self.world.a.county.pk, "kind": "monthly", "date": "2025-03-15"},
                format="json",
            )
        self.assertEqual(response.status_code, 202, response.content)
        # The task is enqueued once the request's transaction commits; until a worker takes it
        # the job says it is queued. (Through the real broker: GenerateNowThroughTheBrokerTest.)
        self.assertEqual(len(enqueued), 1)
        self.assertEqual(self.client.get(response.json()["progress"]).json()["state"], "queued")
        statistics_job_task.apply(args=[response.json()["job"]])  # what the worker runs
        progress = self.client.get(response.json()["progress"]).json()
        self.assertEqual(progress["state"], "done")
        self.assertEqual(progress["done"], progress["total"])
        snapshot = StatisticsSnapshot.objects.get(pk=progress["snapshot"])
        self.assertEqual(snapshot.period_start, MARCH[0])
        # Another user's job is not theirs to read; a region beyond the user's scope is refused.
        self.as_role("city_office")
        self.assertEqual(self.client.get(response.json()["progress"]).status_code, 404)
        self.as_role("office")
        refused = self.client.post(
            reverse("api:statisticssnapshot-generate"),
            {"region": self.world.b.county.pk, "kind": "monthly"},
            format="json",
        )
        self.assertEqual(refused.status_code, 400)
        self.as_role("liaison")
        forbidden = self.client.post(
            reverse("api:statisticssnapshot-generate"),
            {"region": self.world.a.county.pk, "kind": "monthly"},
            format="json",
        )
        self.assertEqual(forbidden.status_code, 403)


@pytest.mark.services
class GenerateNowThroughTheBrokerTest(TransactionTestCase):
    """ "Generate now" end to end through Redis and a real Celery worker (skipped without Redis)."""

    def test_the_worker_takes_the_job_to_done(self):
        require_redis()
        restore_migrated_rows()
        world = World()
        build(world)
        self.client.force_login(world.users["office"])
        with celery_worker():
            response = self.client.post(
                reverse("api:statisticssnapshot-generate"),
                {"region": world.a.county.pk, "kind": "monthly", "date": "2025-03-15"},
                content_type="application/json",
            )
            self.assertEqual(response.status_code, 202, response.content)
            progress = {"state": "queued"}
            for _attempt in range(300):  # a wait for the worker, not a measure of its speed
                progress = self.client.get(response.json()["progress"]).json()
                if progress["state"] in ("done", "failed"):
                    break
                time.sleep(0.1)
        self.assertEqual(progress["state"], "done", progress)
        snapshot = StatisticsSnapshot.objects.get(pk=progress["snapshot"])
        self.assertEqual((snapshot.region, snapshot.period_start), (world.a.county, MARCH[0]))
