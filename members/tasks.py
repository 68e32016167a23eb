"""Celery tasks of the roster: thin, idempotent callers of the services."""

from celery import shared_task

from mobilization.dates import resolve_today

from . import services


@shared_task(name="members.warn_expiring_qualifications")
def warn_expiring_qualifications(today=None):
    """Daily: warn of qualifications expiring within 30 days (each warning once, by notify's key)."""
    return services.qualifications_warn_expiring(today=resolve_today(today))


@shared_task(name="members.roster_import")
def roster_import_task(job_id):
    """A roster file import job (see services.roster_imports); its page polls its progress."""
    return services.roster_import_run(job_id=job_id)


@shared_task(name="members.purge_roster_imports")
def purge_roster_imports_task():
    """Daily: delete kept roster uploads whose job expired unread."""
    return services.roster_imports_purge()
