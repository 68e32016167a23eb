from celery import shared_task

from . import services


@shared_task(name="mobilization.deliver_notifications")
def deliver_notifications_task(key):
    return services.deliver_notifications(key=key)


@shared_task(name="mobilization.deliver_pending_notifications")
def deliver_pending_notifications_task():
    """The safety net: copies whose delivery task was lost are sent by this sweep."""
    return services.deliver_pending_notifications()
