from celery import shared_task

from . import services


@shared_task(name="mobilization.deliver_notifications")
def deliver_notifications_task(key):
    return services.deliver_notifications(key=key)


@shared_task(name="mobilization.deliver_pending_notifications")
def deliver_pending_notifications_task():
    """The safety net: copies whose delivery task was lost, and text messages due for a retry,
    are sent by this sweep."""
    return {"notifications": services.deliver_pending_notifications(), "sms": services.sms_send_due()}


@shared_task(name="mobilization.sms_send_batch", bind=True)
def sms_send_batch_task(self, batch):
    """Send a batch of queued text messages; come back when its next retry is due."""
    result = services.sms_send_batch(batch=batch)
    # Run eagerly (no broker) a countdown would not wait: the beat sweep takes retries then.
    if result["retry_in"] and not self.app.conf.task_always_eager:
        self.apply_async((batch,), countdown=result["retry_in"])
    return result


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
