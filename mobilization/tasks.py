from celery import shared_task

from . import services
from .dates import resolve_today


@shared_task(name="mobilization.deliver_notifications")
def deliver_notifications_task(key):
    return services.deliver_notifications(key=key)


@shared_task(name="mobilization.deliver_pending_notifications")
def deliver_pending_notifications_task():
    """The safety net: copies whose delivery task was lost are sent by this sweep."""
    return services.deliver_pending_notifications()


@shared_task(name="mobilization.archive_audit_events")
def archive_audit_events_task(today=None):
    """Daily: audit events past retention go to a signed archive file (mobilization.audit.archive)."""
    from .audit.archive import archive_events

    archive = archive_events(today=resolve_today(today))
    return archive.count if archive else 0


@shared_task(name="mobilization.backup")
def backup_task():
    """Nightly: a backup of the database and the media folder; the BACKUP_KEEP most recent are kept."""
    return services.backup_create().folder.name
