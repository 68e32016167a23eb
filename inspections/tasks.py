"""Celery tasks of the inspections app: thin callers of services, safe to run twice."""

from celery import shared_task

from mobilization.dates import resolve_today

from . import services


@shared_task(name="inspections.sweep_overdue_rectifications")
def sweep_overdue_rectifications_task(today=None):
    return services.rectifications_sweep_overdue(today=resolve_today(today))


@shared_task(name="inspections.purge_orphan_media")
def purge_orphan_media_task():
    return services.media_purge_orphans()


@shared_task(name="inspections.sweep_overdue_inspections")
def sweep_overdue_inspections_task(today=None):
    today = resolve_today(today)
    reminded = services.inspections_remind_due(today=today)
    return {"reminded": reminded, **services.inspections_sweep_overdue(today=today)}


@shared_task(name="inspections.sweep_overdue_follow_ups")
def sweep_overdue_follow_ups_task(today=None):
    today = resolve_today(today)
    reminded = services.follow_ups_remind_due(today=today)
    return {"reminded": reminded, **services.follow_ups_sweep_overdue(today=today)}
