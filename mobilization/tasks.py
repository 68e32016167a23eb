from celery import shared_task

from . import services


@shared_task(name="mobilization.deliver_notifications")
def deliver_notifications_task(key):
    return services.deliver_notifications(key=key)
