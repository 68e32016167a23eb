from celery import shared_task

from . import services
from .dates import resolve_today


@shared_task(name="mobilization.deliver_notifications")
def deliver_notifications_task(key):
    return services.deliver_notifications(key=key)


@shared_task(name="mobilization.deliver_pending_notifications")
def deliver_pending_notifications_task():
    """The safety net: copies whose delivery task was lost, and text messages due for a retry
    (or queued while the broker was down), are sent by this sweep."""
    return {"notifications": services.deliver_pending_notifications(), "sms": services.sms_send_due()}


@shared_task(name="mobilization.archive_audit_events")
def archive_audit_events_task(today=None):
    """Daily: audit events past retention go to a signed archive file (mobilization.audit.archive)."""
    from .audit.archive import archive_events

    archive = archive_events(today=resolve_today(today))
    return archive.count if archive else 0


@shared_task(name="mobilization.sms_send_batch", bind=True)
def sms_send_batch_task(self, batch):
    """Send a batch of queued text messages; come back when its next retry is due."""
    result = services.sms_send_batch(batch=batch)
    # Run eagerly (no broker) a countdown would not wait: the beat sweep takes retries then.
    if result["retry_in"] and not self.app.conf.task_always_eager:
        self.apply_async((batch,), countdown=result["retry_in"])
    return result


@shared_task(name="mobilization.backup")
def backup_task():
    """Nightly: a backup of the database and the media folder; the BACKUP_KEEP most recent are kept."""
    return services.backup_create().folder.name
