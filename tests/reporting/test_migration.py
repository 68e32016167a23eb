"""The statistics models moved from `mobilization` to `reporting` by migration: a database filled
on the state before the move keeps every report, snapshot, year status and history row, their
content types (so the groups' permissions) and the beat schedules naming the old task paths.

The database is migrated back to the state before the move, filled through the historical models
of that state (what `seed_demo` on the old code would have written), migrated forward, and read
through today's models. CI runs it on PostgreSQL, where tables keep their identity sequences."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

from tests.base import restore_migrated_rows

# The migration that moves the tables; the state before it is its parent in `mobilization`.
MOVE = ("mobilization", "0005_statistics_move_to_reporting")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader


class MoveToReportingKeepsEveryRowTest(TransactionTestCase):
    def setUp(self):
        graph = MigrationExecutor(connection).loader.graph
        parent = next(key for key in graph.node_map[MOVE].parents if key[0] == MOVE[0])
        self.before = [parent, ("reporting", None)]
        self.latest = graph.leaf_nodes()
        loader = _migrate(self.before)
        # The state of everything applied now: the old statistics models, and the other apps'.
        applied = [key for key in loader.applied_migrations if key in loader.graph.nodes]
        self.old = loader.project_state(applied).apps

    def tearDown(self):
        _migrate(self.latest)
        ContentType.objects.clear_cache()
        restore_migrated_rows()

    def fill_the_old_tables(self):
        """Rows as the old code wrote them, history included, through the state before the move."""
        old = self.old
        Region, Office, MemberUnit = (old.get_model("mobilization", m) for m in ("Region", "Office", "MemberUnit"))
        Report = old.get_model("mobilization", "StatisticsReport")
        HistoricalReport = old.get_model("mobilization", "HistoricalStatisticsReport")
        Snapshot = old.get_model("mobilization", "StatisticsSnapshot")
        YearStatus = old.get_model("mobilization", "MemberUnitYearStatus")
        HistoricalYearStatus = old.get_model("mobilization", "HistoricalMemberUnitYearStatus")
        User = old.get_model("auth", "User")

        user = User.objects.create(username="old_office")
        city = Region.objects.create(code="379900000000", name="旧市", level="city")
        county = Region.objects.create(code="379901000000", name="旧区", level="county", parent=city)
        office = Office.objects.create(region=county, name="旧区国防动员办公室", level="county")
        unit = MemberUnit.objects.create(
            name="旧区卫生健康局", credit_code="91379901MA0000001X", kind="government", sector="health", region=county
        )
        figures = {"region": county.code, "sections": [{"key": "teams_by_level", "rows": [["区县级", 1, 20, 3]]}]}
        made = timezone.now() - datetime.timedelta(days=30)
        reports = []
        for month, status in ((1, "approved"), (2, "submitted"), (3, "draft")):
            start = datetime.date(2025, month, 1)
            report = Report.objects.create(
                office=office, period_kind="monthly", period_start=start,
                period_end=start.replace(day=28), status=status, remarks=f"第{month}月", figures=figures,
                figures_at=made, submitted_by=user if status != "draft" else None,
            )  # fmt: skip
            reports.append(report)
            for n, history_type in enumerate(("+", "~")):
                HistoricalReport.objects.create(
                    id=report.pk, created=report.created, updated=report.updated, office=office,
                    period_kind="monthly", period_start=start, period_end=report.period_end,
                    status="draft" if history_type == "+" else status, remarks=report.remarks, figures=figures,
                    history_date=made + datetime.timedelta(hours=n), history_type=history_type, history_user=user,
                )  # fmt: skip
        snapshot = Snapshot.objects.create(
            region=county, period_kind="monthly", period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 1, 31), figures=figures, workbook="statistics/snapshots/old.xlsx",
            generated_at=made, generated_by=user, duration_ms=1234,
        )  # fmt: skip
        status = YearStatus.objects.create(unit=unit, year=2025, phase="plan", status="accepted", note="按时")
        HistoricalYearStatus.objects.create(
            id=status.pk, created=status.created, updated=status.updated, unit=unit, year=2025, phase="plan",
            status="accepted", note="按时", history_date=made, history_type="+", history_user=user,
        )  # fmt: skip

        # An office's own grant and an edited schedule, as a deployment has them.
        OldContentType = old.get_model("contenttypes", "ContentType")
        OldPermission, OldGroup = old.get_model("auth", "Permission"), old.get_model("auth", "Group")
        report_type, _created = OldContentType.objects.get_or_create(app_label="mobilization", model="statisticsreport")
        view, _created = OldPermission.objects.get_or_create(
            content_type=report_type, codename="view_statisticsreport", defaults={"name": "Can view statistics report"}
        )
        OldGroup.objects.create(name="old_deployment_readers").permissions.add(view)
        Crontab = old.get_model("django_celery_beat", "CrontabSchedule")
        PeriodicTask = old.get_model("django_celery_beat", "PeriodicTask")
        crontab = Crontab.objects.create(minute="45", hour="3", day_of_month="1", timezone="Asia/Shanghai")
        PeriodicTask.objects.create(
            name="edited: monthly snapshot", task="mobilization.statistics_snapshot_monthly", crontab=crontab
        )
        PeriodicTask.objects.create(
            name="edited: reminders", task="mobilization.statistics_report_reminders", crontab=crontab
        )
        return {"reports": reports, "snapshot": snapshot, "status": status, "user": user, "made": made}

    def test_every_row_and_its_history_survive_the_move(self):
        old = self.fill_the_old_tables()
        _migrate(self.latest)
        ContentType.objects.clear_cache()

        from django_celery_beat.models import PeriodicTask

        from reporting.models import MemberUnitYearStatus, StatisticsReport, StatisticsSnapshot

        self.assertEqual(
            list(StatisticsReport.objects.order_by("period_start").values_list("pk", "status", "remarks")),
            [(r.pk, r.status, r.remarks) for r in old["reports"]],
        )
        first = StatisticsReport.objects.get(pk=old["reports"][0].pk)
        self.assertEqual(first.figures["sections"][0]["rows"], [["区县级", 1, 20, 3]])
        self.assertEqual((first.office.name, first.submitted_by.username), ("旧区国防动员办公室", "old_office"))
        for report in old["reports"]:
            history = StatisticsReport.history.filter(id=report.pk).order_by("history_date")
            self.assertEqual([h.history_type for h in history], ["+", "~"])
            self.assertEqual([h.status for h in history], ["draft", report.status])
        self.assertEqual(StatisticsReport.history.count(), 6)

        snapshot = StatisticsSnapshot.objects.get()
        self.assertEqual(
            (snapshot.pk, snapshot.region_id, snapshot.workbook.name, snapshot.duration_ms),
            (old["snapshot"].pk, "379901000000", "statistics/snapshots/old.xlsx", 1234),
        )
        status = MemberUnitYearStatus.objects.get()
        self.assertEqual(
            (status.pk, status.unit.name, status.status, status.note),
            (old["status"].pk, "旧区卫生健康局", "accepted", "按时"),
        )
        self.assertEqual(list(status.history.values_list("history_type", "note")), [("+", "按时")])

        # Content types were relabelled, not recreated: the old grant now names the reporting model.
        self.assertFalse(ContentType.objects.filter(app_label="mobilization", model="statisticsreport").exists())
        granted = Group.objects.get(name="old_deployment_readers").permissions.get()
        self.assertEqual((granted.content_type.app_label, granted.codename), ("reporting", "view_statisticsreport"))
        self.assertEqual(Permission.objects.filter(codename="view_statisticsreport").count(), 1)

        # The office's edited schedules now run the reporting tasks, at the times it chose.
        edited = PeriodicTask.objects.filter(name__startswith="edited:").order_by("name")
        self.assertEqual(
            [(t.task, t.crontab.minute, t.crontab.hour) for t in edited],
            [
                ("reporting.statistics_snapshot_monthly", "45", "3"),
                ("reporting.statistics_report_reminders", "45", "3"),
            ],
        )
        self.assertFalse(PeriodicTask.objects.filter(task__startswith="mobilization.statistics").exists())

        # The renamed tables still number new rows after the old ones (their sequences came along).
        fresh = StatisticsReport.objects.create(
            office=first.office, period_kind="monthly", period_start=datetime.date(2025, 4, 1),
            period_end=datetime.date(2025, 4, 30),
        )  # fmt: skip
        self.assertGreater(fresh.pk, max(r.pk for r in old["reports"]))
        self.assertEqual(fresh.history.count(), 1)
