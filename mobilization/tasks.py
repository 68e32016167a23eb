from celery import shared_task

from . import services


@shared_task(name="mobilization.deliver_notifications")
def deliver_notifications_task(key):
    return services.deliver_notifications(key=key)


@shared_task(name="mobilization.deliver_pending_notifications")
def deliver_pending_notifications_task():
    """The safety net: copies whose delivery task was lost are sent by this sweep."""
    return services.deliver_pending_notifications()


# --- situation statistics (mobilization.statistics) ---------------------------------------------------


def _today(today):
    import datetime

    from django.utils import timezone

    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="mobilization.statistics_snapshot")
def statistics_snapshot_task(kind, today=None):
    """The scheduled snapshot of every office's region for the `kind` period that just ended."""
    from .statistics.services import snapshots_scheduled

    return [s.pk for s, _created in snapshots_scheduled(kind=kind, today=_today(today))]


@shared_task(name="mobilization.statistics_snapshot_monthly")
def statistics_snapshot_monthly_task(today=None):
    return statistics_snapshot_task("monthly", today)


@shared_task(name="mobilization.statistics_snapshot_quarterly")
def statistics_snapshot_quarterly_task(today=None):
    return statistics_snapshot_task("quarterly", today)


@shared_task(name="mobilization.statistics_snapshot_yearly")
def statistics_snapshot_yearly_task(today=None):
    return statistics_snapshot_task("yearly", today)


@shared_task(name="mobilization.statistics_report_reminders")
def statistics_report_reminders_task(today=None):
    from .statistics.services import report_reminders

    return report_reminders(today=_today(today))


@shared_task(name="mobilization.statistics_job")
def statistics_job_task(job_id):
    """A "generate now" snapshot job; its progress is read from the cache by the dashboard."""
    from .statistics.services import job_run

    return job_run(job_id=job_id)


@shared_task(name="mobilization.archive_audit_events")
def archive_audit_events_task(today=None):
    """Daily: audit events past retention go to a signed archive file (mobilization.audit.archive)."""
    from .audit.archive import archive_events

    archive = archive_events(today=_today(today))
    return archive.count if archive else 0
