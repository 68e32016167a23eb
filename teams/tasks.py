from celery import shared_task

from . import services


@shared_task(name="teams.callout_escalate")
def callout_escalate_task():
    """Every minute: remind the silent, then tell their leaders (each step once per person)."""
    return services.callout_escalate()
