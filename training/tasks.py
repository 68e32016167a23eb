"""Celery tasks of the training app: thin callers of services, safe to run twice (each reminder is
unique per recipient and lead time), enqueued with transaction.on_commit where they follow a write."""

from celery import shared_task

from mobilization.dates import resolve_today

from . import services

__all__ = ["send_drill_reminder_task", "send_drill_reminders_task"]


@shared_task(name="training.send_drill_reminders")
def send_drill_reminders_task(today=None):
    """Beat's daily job: the reminders due today (Beijing date) of every 9.18 drill."""
    return services.drill_reminders_send_due(today=resolve_today(today))


@shared_task(name="training.send_drill_reminder")
def send_drill_reminder_task(drill_id, lead_days):
    """One drill's reminder for one lead time (used to resend by hand: nobody gets it twice)."""
    from .models import AlarmTestDrill

    drill = AlarmTestDrill.objects.select_related("region").filter(pk=drill_id).first()
    if drill is None:
        return 0
    return services.drill_reminder_send(drill=drill, lead_days=int(lead_days))
