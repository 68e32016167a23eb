"""Celery tasks of situation statistics: thin callers of the services, safe to run twice (a
snapshot is unique per region, kind and period; a reminder per report and step)."""

from celery import shared_task

from mobilization.dates import resolve_today

from . import services
from .choices import SnapshotKindChoices

__all__ = [
    "dashboard_figures_refresh_task",
    "statistics_job_task",
    "statistics_report_reminders_task",
    "statistics_snapshot_monthly_task",
    "statistics_snapshot_quarterly_task",
    "statistics_snapshot_task",
    "statistics_snapshot_yearly_task",
]


@shared_task(name="reporting.statistics_snapshot")
def statistics_snapshot_task(kind, today=None):
    """The scheduled snapshot of every office's region for the `kind` period that just ended."""
    return [s.pk for s, _created in services.snapshots_scheduled(kind=kind, today=resolve_today(today))]


@shared_task(name="reporting.statistics_snapshot_monthly")
def statistics_snapshot_monthly_task(today=None):
    return statistics_snapshot_task(SnapshotKindChoices.MONTHLY, today)


@shared_task(name="reporting.statistics_snapshot_quarterly")
def statistics_snapshot_quarterly_task(today=None):
    return statistics_snapshot_task(SnapshotKindChoices.QUARTERLY, today)


@shared_task(name="reporting.statistics_snapshot_yearly")
def statistics_snapshot_yearly_task(today=None):
    return statistics_snapshot_task(SnapshotKindChoices.YEARLY, today)


@shared_task(name="reporting.statistics_report_reminders")
def statistics_report_reminders_task(today=None):
    return services.statistics_report_reminders(today=resolve_today(today))


@shared_task(name="reporting.statistics_job")
def statistics_job_task(job_id):
    """A "generate now" snapshot job; its progress is read from the cache by the dashboard."""
    return services.job_run(job_id=job_id)


@shared_task(name="reporting.dashboard_figures_refresh")
def dashboard_figures_refresh_task(row_id):
    """Recompute a stale row of the dashboard's stored figures (queued by the dashboard)."""
    return services.dashboard_figures_refresh(row_id=row_id)
