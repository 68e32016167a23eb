"""Celery tasks of the inspections app: thin callers of services, safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="inspections.sweep_overdue_rectifications")
def sweep_overdue_rectifications_task(today=None):
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return services.rectifications_sweep_overdue(today=day)


@shared_task(name="inspections.purge_orphan_media")
def purge_orphan_media_task():
    return services.media_purge_orphans()
