"""A roster file import run as a job (thousands of rows take a while): the upload is checked for
size and type and kept in private storage, a Celery task imports it reporting its progress through
`mobilization.jobs`, and the owner's page shows the result (the change request, or every bad row).
The import itself is `roster_change_import`: atomic, so a half-done import leaves nothing."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from mobilization import jobs
from mobilization.models import MemberUnit

from .. import rosterfile
from .roster_changes import roster_change_import
from .roster_validation import RosterRowsInvalid

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

logger = logging.getLogger(__name__)

IMPORT_TASK = "roster-import"
IMPORT_FOLDER = "private/roster-imports"  # MEDIA_URL is not routed: nothing here is served
PROGRESS_STEP = 500


def roster_import_start(*, by: User, upload: UploadedFile, unit: MemberUnit | None = None, note: str = "") -> str:
    """Check the upload's size and type (rosterfile.UploadRefused if wrong), keep it privately and
    record a queued job; returns the job id, for `roster_import_queue`."""
    content = rosterfile.check_upload(upload)
    job_id = jobs.job_start(
        user=by,
        task=IMPORT_TASK,
        unit=unit.pk if unit else None,
        note=note,
        file_name=(getattr(upload, "name", "") or "")[:200],
        language=translation.get_language(),
        path="",
        stage="",
        change=None,
        errors=[],
    )
    path = default_storage.save(f"{IMPORT_FOLDER}/{job_id}.bin", ContentFile(content))
    jobs.job_progress(job_id, path=path)
    return job_id


def roster_import_queue(*, job_id: str) -> None:
    """Hand the job to a worker. Nothing was written to the database before it runs, so there is
    no commit to wait for; with the broker down the upload still succeeds: the import runs here,
    in the request, rather than waiting for a broker that may not come back."""
    from ..tasks import roster_import_task

    try:
        roster_import_task.apply_async(args=[job_id], retry=False)
    except Exception:  # noqa: BLE001 - any broker error: do the work now
        logger.warning("Broker unavailable: roster import %s run in the request", job_id, exc_info=True)
        roster_import_run(job_id=job_id)


def roster_import_run(*, job_id: str) -> int | None:
    """Run an import job once: the change request's id, or None (bad file or rows: the job holds
    the errors). The kept file is deleted whatever the outcome."""
    state = jobs.job_progress(job_id)
    if state is None or state["state"] in ("done", "failed"):
        return state and state["change"]
    jobs.job_progress(job_id, state="running")
    path = state["path"]
    try:
        with translation.override(state["language"]):
            user = get_user_model().objects.get(pk=state["user"])
            unit = MemberUnit.objects.get(pk=state["unit"]) if state["unit"] else None
            with default_storage.open(path, "rb") as kept:
                upload = ContentFile(kept.read(), name=state["file_name"])
            try:
                change = roster_change_import(
                    by=user,
                    upload=upload,
                    unit=unit,
                    note=state["note"],
                    progress=jobs.progress_every(job_id, PROGRESS_STEP),
                )
            except rosterfile.UploadRefused as exc:
                jobs.job_progress(job_id, state="failed", errors=[{"row": "", "column": "", "message": str(exc)}])
                return None
            except RosterRowsInvalid as exc:
                jobs.job_progress(job_id, state="failed", errors=exc.errors)
                return None
    except Exception as exc:  # the page shows the failure instead of polling forever
        jobs.job_progress(job_id, state="failed", error=f"{type(exc).__name__}: {exc}")
        raise
    finally:
        if path and default_storage.exists(path):
            default_storage.delete(path)
    jobs.job_progress(job_id, state="done", change=change.pk)
    return change.pk


def roster_imports_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete kept upload files older than a job lives (JOB_TTL): their job expired before a
    worker read them (a worker lost, a broker outage), so nothing will ever read them."""
    now = now or timezone.now()
    if not default_storage.exists(IMPORT_FOLDER):
        return 0
    removed = 0
    for name in default_storage.listdir(IMPORT_FOLDER)[1]:
        path = f"{IMPORT_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < now - datetime.timedelta(seconds=jobs.JOB_TTL):
            default_storage.delete(path)
            removed += 1
    return removed
