"""Celery tasks of the roster: thin, idempotent callers of the services."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="members.warn_expiring_qualifications")
def warn_expiring_qualifications(today=None):
    """Daily: warn of qualifications expiring within 30 days (each warning once, by notify's key)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return services.qualifications_warn_expiring(today=day)
