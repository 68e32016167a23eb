"""Celery tasks of the command app: thin callers of services, safe to run twice."""

from celery import shared_task

from mobilization.dates import resolve_today

from . import services


@shared_task(name="command.sweep_overdue_military_requests")
def sweep_overdue_military_requests_task(today=None):
    return services.military_requests_sweep_overdue(today=resolve_today(today))
