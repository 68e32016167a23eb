"""Services of situation statistics: the report workflow, reminders, member units' year
statuses, snapshots and their workbooks, and the progress of a "generate now" job.

Reports and snapshots freeze figures computed by `selectors.statistics_figures` in the office's
default language (Simplified Chinese), so the stored JSON and the workbook read the same
whoever triggered them.

The dashboard reads stored figures (`DashboardFigures`, one row per region, period and language)
through `dashboard_figures`: a row younger than `settings.DASHBOARD_FIGURES_MAX_AGE` seconds is
shown as it is (one query); an older one is shown at once and a refresh task is queued for it
(once: `refreshing_since` marks it until the task stores new figures, or for `REFRESH_LOCK` if the
task is lost); a missing one is computed in the request and stored. "Refresh now" recomputes in
the request. Every report and snapshot computed also stores its figures as the region and
period's current ones, so the same figures are never computed twice in a row. The page says when
its figures were computed ("数据截至 …").
"""

import datetime
import io
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization import jobs
from mobilization.choices import AuditActionChoices, NotificationKindChoices, RoleChoices
from mobilization.models import MemberUnit, Office, Region, UserProfile
from mobilization.querysets import region_ancestors
from mobilization.roles import may_decide_office_reports, may_prepare_office_reports
from mobilization.services import audit_record, notify

from .choices import ReportStatusChoices
from .models import DashboardFigures, MemberUnitYearStatus, StatisticsReport, StatisticsSnapshot
from .periods import period_bounds, previous_period
from .sections import compute_figures
from .selectors import statistics_figures, stored_figures

__all__ = [
    "REFRESH_LOCK",
    "dashboard_figures",
    "dashboard_figures_compute",
    "dashboard_figures_refresh",
    "dashboard_figures_store",
    "figures_workbook_bytes",
    "job_progress",
    "job_run",
    "job_start",
    "snapshot_take",
    "snapshots_scheduled",
    "statistics_report_approve",
    "statistics_report_delete",
    "statistics_report_prepare",
    "statistics_report_reminders",
    "statistics_report_return",
    "statistics_report_submit",
    "statistics_report_update",
    "year_status_set",
]

# A report waiting longer than this at a step earns its reminder.
REMINDER_AFTER = {
    ReportStatusChoices.SUBMITTED: datetime.timedelta(days=3),  # waiting for the city office's decision
    ReportStatusChoices.RETURNED: datetime.timedelta(days=3),  # waiting for the office to correct it
    ReportStatusChoices.DRAFT: datetime.timedelta(days=7),  # after the period ended, not yet submitted
}


# --- the report workflow ----------------------------------------------------------------------------------


def _ensure_own_office(report_or_office, by):
    """Only the staff of the office itself prepare and submit its reports."""
    if not may_prepare_office_reports(by, getattr(report_or_office, "office", report_or_office)):
        raise PermissionDenied(gettext("Only the staff of this office may prepare and submit its reports."))


def _ensure_superior_office(report, by):
    """Only the staff of an office above the reporting one (the city office) decide on a report."""
    if not may_decide_office_reports(by, report.office):
        raise PermissionDenied(gettext("Only a superior office may approve or return this report."))


def _ensure_editable(report):
    if report.status == ReportStatusChoices.APPROVED:
        raise ValidationError({"status": _("An approved report is locked.")})
    if report.status == ReportStatusChoices.SUBMITTED:
        raise ValidationError({"status": _("A submitted report cannot be changed while it awaits a decision.")})


def _freeze(report):
    region = Region.objects.get(pk=report.office.region_id)
    began = timezone.now()
    report.figures = statistics_figures(region, report.period_start, report.period_end)
    report.figures_at = timezone.now()
    # The same figures are the dashboard's for this region and period from now on.
    dashboard_figures_store(
        region=region,
        kind=report.period_kind,
        period_start=report.period_start,
        period_end=report.period_end,
        language=settings.LANGUAGE_CODE,
        figures=report.figures,
        computed_at=began,
    )


@transaction.atomic
def statistics_report_prepare(
    *,
    office: Office,
    period_kind: str,
    by,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    remarks: str = "",
) -> StatisticsReport:
    """Prepare (or refresh) the office's report for a period: a draft with the current figures."""
    _ensure_own_office(office, by)
    if period_start is None:
        raise ValidationError({"period_start": _("This field is required.")})
    expected_start, expected_end = period_bounds(period_kind, period_start)
    if period_start != expected_start or (period_end and period_end != expected_end):
        raise ValidationError(
            {
                "period_start": _("The period must run from %(start)s to %(end)s.")
                % {"start": expected_start, "end": expected_end}
            }
        )
    report = StatisticsReport(
        office=office,
        period_kind=period_kind,
        period_start=expected_start,
        period_end=expected_end,
        remarks=remarks,
    )
    report.full_clean()
    _freeze(report)
    report.save()
    return report


@transaction.atomic
def statistics_report_update(*, report: StatisticsReport, by, remarks: str) -> StatisticsReport:
    """Change a draft or returned report's remarks; its figures are recomputed with it."""
    report = StatisticsReport.objects.select_for_update().get(pk=report.pk)
    _ensure_own_office(report, by)
    _ensure_editable(report)
    report.remarks = remarks
    _freeze(report)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def statistics_report_delete(*, report: StatisticsReport, by) -> None:
    report = StatisticsReport.objects.select_for_update().get(pk=report.pk)
    _ensure_own_office(report, by)
    if report.status != ReportStatusChoices.DRAFT:
        raise ValidationError({"status": _("Only a draft report can be deleted.")})
    report.delete()


@transaction.atomic
def statistics_report_submit(*, report: StatisticsReport, by, remarks: str | None = None) -> StatisticsReport:
    """Submit a draft or returned report: its figures are recomputed and frozen."""
    report = StatisticsReport.objects.select_for_update().select_related("office").get(pk=report.pk)
    _ensure_own_office(report, by)
    if report.status not in (ReportStatusChoices.DRAFT, ReportStatusChoices.RETURNED):
        raise ValidationError({"status": _("Only a draft or returned report can be submitted.")})
    if remarks is not None:
        report.remarks = remarks
    _freeze(report)
    report.status = ReportStatusChoices.SUBMITTED
    report.submitted_by, report.submitted_at = by, timezone.now()
    report.full_clean()
    report.save()
    approvers = _superior_staff(report.office.region_id)
    notify(
        recipients=approvers,
        key=f"statistics-report:{report.pk}:submitted:{report.submitted_at:%Y%m%d%H%M%S}",
        kind=NotificationKindChoices.STATISTICS_REPORT_SUBMITTED,
        title=gettext("Statistics report submitted: %(report)s") % {"report": report},
        url=reverse("admin:reporting_statisticsreport_change", args=[report.pk]),
    )
    return report


@transaction.atomic
def statistics_report_approve(*, report: StatisticsReport, by) -> StatisticsReport:
    """Approve a submitted report: it is locked with the figures it was submitted with."""
    report = StatisticsReport.objects.select_for_update().select_related("office").get(pk=report.pk)
    _ensure_superior_office(report, by)
    if report.status != ReportStatusChoices.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted report can be approved.")})
    report.status = ReportStatusChoices.APPROVED
    report.decided_by, report.decided_at, report.return_reason = by, timezone.now(), ""
    report.save()
    audit_record(
        action=AuditActionChoices.APPROVE,
        user=by,
        obj=report,
        changes={"status": [ReportStatusChoices.SUBMITTED, report.status]},
    )
    notify(
        recipients=_office_staff(report.office.region_id),
        key=f"statistics-report:{report.pk}:approved",
        kind=NotificationKindChoices.STATISTICS_REPORT_APPROVED,
        title=gettext("Statistics report approved: %(report)s") % {"report": report},
    )
    return report


@transaction.atomic
def statistics_report_return(*, report: StatisticsReport, by, reason: str) -> StatisticsReport:
    """Return a submitted report to its office with a reason."""
    report = StatisticsReport.objects.select_for_update().select_related("office").get(pk=report.pk)
    _ensure_superior_office(report, by)
    if report.status != ReportStatusChoices.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted report can be returned.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the report is returned.")})
    report.status = ReportStatusChoices.RETURNED
    report.decided_by, report.decided_at, report.return_reason = by, timezone.now(), reason.strip()
    report.save()
    audit_record(
        action=AuditActionChoices.REJECT,
        user=by,
        obj=report,
        changes={"status": [ReportStatusChoices.SUBMITTED, report.status]},
        detail={"reason": report.return_reason},
    )
    notify(
        recipients=_office_staff(report.office.region_id),
        key=f"statistics-report:{report.pk}:returned:{report.decided_at:%Y%m%d%H%M%S}",
        kind=NotificationKindChoices.STATISTICS_REPORT_RETURNED,
        title=gettext("Statistics report returned: %(report)s") % {"report": report},
        body=report.return_reason,
    )
    return report


def _office_staff(region_code):
    """Users working as office staff of exactly this region's office."""
    return list(
        UserProfile.objects.filter(
            role=RoleChoices.OFFICE_STAFF, region_id=region_code, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _superior_staff(region_code):
    """Office staff of the regions above `region_code` (its city, its province)."""
    return list(
        UserProfile.objects.filter(
            role=RoleChoices.OFFICE_STAFF, region_id__in=region_ancestors(region_code), user__is_active=True
        ).values_list("user_id", flat=True)
    )


def statistics_report_reminders(*, today: datetime.date) -> int:
    """Remind whoever a report waits for when it has waited too long at its step; once per
    report and step (the notification key names both)."""
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    sent = 0
    reports = StatisticsReport.objects.waiting().select_related("office")
    for report in reports.filter(
        status=ReportStatusChoices.SUBMITTED, submitted_at__lte=now - REMINDER_AFTER[ReportStatusChoices.SUBMITTED]
    ):
        sent += notify(
            recipients=_superior_staff(report.office.region_id),
            key=f"statistics-report:{report.pk}:remind-decision:{report.submitted_at:%Y%m%d%H%M%S}",
            kind=NotificationKindChoices.STATISTICS_REPORT_REMINDER,
            title=gettext("A statistics report awaits your decision: %(report)s") % {"report": report},
        )
    for report in reports.filter(
        status=ReportStatusChoices.RETURNED, decided_at__lte=now - REMINDER_AFTER[ReportStatusChoices.RETURNED]
    ):
        sent += notify(
            recipients=_office_staff(report.office.region_id),
            key=f"statistics-report:{report.pk}:remind-correction:{report.decided_at:%Y%m%d%H%M%S}",
            kind=NotificationKindChoices.STATISTICS_REPORT_REMINDER,
            title=gettext("A returned statistics report awaits correction: %(report)s") % {"report": report},
        )
    for report in reports.filter(
        status=ReportStatusChoices.DRAFT, period_end__lte=today - REMINDER_AFTER[ReportStatusChoices.DRAFT]
    ):
        sent += notify(
            recipients=_office_staff(report.office.region_id),
            key=f"statistics-report:{report.pk}:remind-submission",
            kind=NotificationKindChoices.STATISTICS_REPORT_REMINDER,
            title=gettext("A statistics report is due for submission: %(report)s") % {"report": report},
        )
    return sent


# --- member units through the year -----------------------------------------------------------------------


@transaction.atomic
def year_status_set(
    *, unit: MemberUnit, year: int, phase: str, status: str, by=None, note: str = ""
) -> MemberUnitYearStatus:
    """Record where a member unit stands in one phase of the year."""
    row = MemberUnitYearStatus.objects.filter(unit=unit, year=year, phase=phase).first() or MemberUnitYearStatus(
        unit=unit, year=year, phase=phase
    )
    row.status, row.note = status, note
    row.full_clean()
    row.save()
    return row


# --- snapshots and their workbooks ------------------------------------------------------------------------


def figures_workbook_bytes(figures: dict) -> bytes:
    """An .xlsx workbook of the figures: a summary sheet (region, period, headline figures), then
    one sheet per section."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from mobilization.spreadsheets import write_row

    book = Workbook()
    cover = book.active
    with translation.override(settings.LANGUAGE_CODE):
        cover.title = gettext("Overview")[:31]
        # Names of regions, units and teams are typed by people: every row is written formula-safe.
        write_row(cover, [gettext("Region"), figures["region_name"]])
        write_row(cover, [gettext("Period start"), figures["period_start"]])
        write_row(cover, [gettext("Period end"), figures["period_end"]])
        write_row(cover, [gettext("Figures as of"), figures["as_of"]])
        # The headline figures, as the dashboard shows them large, lead the summary sheet.
        headline = [item for entry in figures["sections"] for item in entry.get("headline", [])]
        if headline:
            cover.append([])
            write_row(cover, [gettext("Headline figures")])
            cover.cell(row=cover.max_row, column=1).font = Font(bold=True)
            for item in headline:
                write_row(cover, [item["label"], "—" if item["value"] is None else item["value"]])
        cover.column_dimensions["A"].width = 28
        used = {cover.title}
        for entry in figures["sections"]:
            title = "".join(c for c in entry["title"] if c not in "[]:*?/\\")[:31]
            while title in used:
                title = title[:28] + f"_{len(used)}"
            used.add(title)
            sheet = book.create_sheet(title)
            write_row(sheet, entry["columns"])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in entry["rows"]:
                # A rate with nothing to divide by is None: shown as a dash, as on the dashboard.
                write_row(sheet, ["—" if value is None else value for value in row])
            if entry.get("note"):
                sheet.append([])
                write_row(sheet, [entry["note"]])
            for index, column in enumerate(entry["columns"], start=1):
                sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, 2 * len(column))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _period_closed_at(period_end):
    """The moment a period ending on `period_end` is over: midnight after its last day, local time."""
    return timezone.make_aware(datetime.datetime.combine(period_end + datetime.timedelta(days=1), datetime.time.min))


def snapshot_take(
    *,
    region: Region,
    kind: str,
    period_start: datetime.date,
    by=None,
    replace: bool = False,
    final: bool = False,
    progress=None,
) -> tuple[StatisticsSnapshot, bool]:
    """The snapshot of `region`'s subtree for the `kind` period starting `period_start`, and
    whether it was (re)computed this time.

    One per (region, kind, period): an existing one is returned as it is, unless `replace`
    (a "generate now" asks for fresh figures) recomputes it in place, or `final` (the scheduled
    run, after the period) finds it was generated before the period ended: a "generate now"
    made mid-period holds part of the period only, so it is recomputed and announced again."""
    start, end = period_bounds(kind, period_start)
    existing = StatisticsSnapshot.objects.filter(region=region, period_kind=kind, period_start=start).first()
    stale = bool(
        existing and final and (existing.generated_at is None or existing.generated_at < _period_closed_at(end))
    )
    if existing and not (replace or stale):
        return existing, False
    began = time.monotonic()
    computed_at = timezone.now()
    figures = statistics_figures(region, start, end, progress=progress)
    content = figures_workbook_bytes(figures)
    duration = int((time.monotonic() - began) * 1000)
    with transaction.atomic():
        snapshot = existing or StatisticsSnapshot(region=region, period_kind=kind, period_start=start)
        snapshot.period_end, snapshot.figures = end, figures
        snapshot.generated_at, snapshot.generated_by, snapshot.duration_ms = timezone.now(), by, duration
        old_file = snapshot.workbook.name if snapshot.workbook else ""
        snapshot.workbook.save(f"{region.code}-{kind}-{start:%Y%m%d}.xlsx", ContentFile(content), save=False)
        try:
            with transaction.atomic():
                snapshot.save()
        except IntegrityError:
            # Another worker made it first: theirs stands.
            snapshot.workbook.delete(save=False)
            return StatisticsSnapshot.objects.get(region=region, period_kind=kind, period_start=start), False
        if old_file and old_file != snapshot.workbook.name:
            snapshot.workbook.storage.delete(old_file)
        # One compute: the snapshot's figures are the dashboard's for this region and period too.
        dashboard_figures_store(
            region=region,
            kind=kind,
            period_start=start,
            period_end=end,
            language=settings.LANGUAGE_CODE,
            figures=figures,
            computed_at=computed_at,
        )
        created = existing is None
        if created or stale:
            # The final figures of a period are announced once, whether new or recomputed.
            notify(
                recipients=_office_staff(region.code),
                key=f"statistics-snapshot:{snapshot.pk}" + ("" if created else ":final"),
                kind=NotificationKindChoices.STATISTICS_SNAPSHOT,
                title=gettext("Statistics snapshot ready: %(snapshot)s") % {"snapshot": snapshot},
                url=f"/api/v1/snapshots/{snapshot.pk}/download/",
            )
    return snapshot, created or stale


def snapshots_scheduled(*, kind: str, today: datetime.date) -> list[tuple[StatisticsSnapshot, bool]]:
    """The scheduled run: for every office's region, the snapshot of the `kind` period that ended
    before today (recomputed if it was generated before the period ended). Running it twice the
    same day computes nothing the second time."""
    start, _end = previous_period(kind, today)
    made = []
    for office in Office.objects.select_related("region").order_by("region_id"):
        snapshot, created = snapshot_take(region=office.region, kind=kind, period_start=start, final=True)
        made.append((snapshot, created))
    return made


# --- "generate now" jobs -----------------------------------------------------------------------------------


def job_start(*, user, region: Region, kind: str, period_start: datetime.date) -> str:
    """Record a new job (queued) for `user` and return its id; the caller enqueues the task.
    The job is one of `mobilization.jobs` (one progress mechanism for all long work)."""
    return jobs.job_start(
        user=user,
        task="statistics",
        kind=kind,
        region=region.code,
        period_start=period_start.isoformat(),
        snapshot=None,
    )


def job_progress(job_id: str, **changes) -> dict | None:
    """Read a job's progress (and update it when `changes` are given); None if unknown."""
    return jobs.job_progress(job_id, **changes)


def job_run(*, job_id: str) -> int | None:
    """Run a "generate now" job: compute and store the snapshot, reporting progress per section."""
    state = job_progress(job_id)
    if state is None:
        return None
    if state["state"] == "done":
        return state["snapshot"]
    job_progress(job_id, state="running")
    try:
        region = Region.objects.get(pk=state["region"])
        user = get_user_model().objects.filter(pk=state["user"]).first()
        snapshot, _created = snapshot_take(
            region=region,
            kind=state["kind"],
            period_start=datetime.date.fromisoformat(state["period_start"]),
            by=user,
            replace=True,
            progress=lambda done, total: job_progress(job_id, done=done, total=total),
        )
    except Exception as exc:  # the job's page shows the failure instead of spinning forever
        job_progress(job_id, state="failed", error=f"{type(exc).__name__}: {exc}")
        raise
    job_progress(job_id, state="done", snapshot=snapshot.pk)
    return snapshot.pk


# --- the dashboard's stored figures ------------------------------------------------------------------------

# A stale row is queued for refresh once; if its task is lost (a broker outage, a dead worker), the
# next view after this long queues it again.
REFRESH_LOCK = datetime.timedelta(minutes=10)


def dashboard_figures_store(
    *,
    region: Region,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    language: str,
    figures: dict,
    computed_at: datetime.datetime,
) -> None:
    """Keep `figures` (computed from `computed_at` on) as the current dashboard figures of the
    region, period and language, unless newer ones are stored already. Clears `refreshing_since`."""
    lookup = {"region": region, "period_kind": kind, "period_start": period_start, "language": language}
    values = {"period_end": period_end, "figures": figures, "computed_at": computed_at, "refreshing_since": None}
    if DashboardFigures.objects.filter(**lookup, computed_at__lte=computed_at).update(**values):
        return
    try:
        with transaction.atomic():
            DashboardFigures.objects.create(**lookup, **values)
    except IntegrityError:
        pass  # a row computed later than ours is stored (or was made meanwhile): it stands


def dashboard_figures_compute(
    *, region: Region, kind: str, period_start: datetime.date, period_end: datetime.date, language: str
) -> tuple[dict, datetime.datetime]:
    """Compute the figures live in `language`, store them, and return them with their time."""
    computed_at = timezone.now()
    with translation.override(language):
        figures = compute_figures(region, period_start, period_end)
    dashboard_figures_store(
        region=region,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        language=language,
        figures=figures,
        computed_at=computed_at,
    )
    return figures, computed_at


def dashboard_figures(
    *, region: Region, kind: str, period_start: datetime.date, period_end: datetime.date, refresh: bool = False
) -> tuple[dict, datetime.datetime]:
    """The dashboard's figures of `region`'s subtree for the period in the active language, and
    when they were computed: the stored ones (a refresh queued if they are older than
    `DASHBOARD_FIGURES_MAX_AGE`), else, or with `refresh`, computed now and stored."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if not refresh:
        row = stored_figures(region, kind, period_start, language)
        if row is not None:
            now = timezone.now()
            if row.computed_at < now - datetime.timedelta(seconds=settings.DASHBOARD_FIGURES_MAX_AGE):
                _queue_refresh(row, now)
            return row.figures, row.computed_at
    return dashboard_figures_compute(
        region=region, kind=kind, period_start=period_start, period_end=period_end, language=language
    )


def _queue_refresh(row: DashboardFigures, now: datetime.datetime) -> None:
    """Queue the refresh of a stale row, unless one is queued already (and not lost)."""
    from mobilization.celery import enqueue_on_commit

    from .tasks import dashboard_figures_refresh_task

    unclaimed = Q(refreshing_since__isnull=True) | Q(refreshing_since__lt=now - REFRESH_LOCK)
    if DashboardFigures.objects.filter(unclaimed, pk=row.pk).update(refreshing_since=now):
        enqueue_on_commit(dashboard_figures_refresh_task, row.pk)


def dashboard_figures_refresh(*, row_id: int) -> bool:
    """The refresh task's work: recompute and store a stored row's figures, unless the row is gone
    or was refreshed meanwhile (then it has no refresh pending). Whether it recomputed."""
    row = DashboardFigures.objects.select_related("region").filter(pk=row_id).first()
    if row is None or row.refreshing_since is None:
        return False
    dashboard_figures_compute(
        region=row.region,
        kind=row.period_kind,
        period_start=row.period_start,
        period_end=row.period_end,
        language=row.language,
    )
    return True
