"""Stored photos and videos of the inspections app (and the command app's files): saved all or
nothing, and the orphans a rolled-back transaction leaves purged."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.utils import timezone

from ..models import (
    InspectionMedia,
    RectificationEvidence,
)

if TYPE_CHECKING:
    pass


__all__ = ["media_purge_orphans", "media_store"]


def _today(today):
    return today or timezone.localdate()


@contextmanager
def _files_removed_on_failure():
    """Yield a list to record stored names in; if anything fails after, delete them again."""
    stored = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def media_store(model, prepared, *, by, **parent):
    """Save each prepared file (`uploads.prepare_uploads`) on a new `model` row under `parent`;
    all or nothing: a failure deletes the files already stored."""
    objects = []
    with _files_removed_on_failure() as stored:
        for item in prepared:
            obj = model(kind=item.kind, content_type=item.content_type, size=item.size, uploaded_by=by, **parent)
            # The name passed only lends its extension to upload_to, which picks a random one.
            obj.file.save(f"upload.{item.extension}", item.content, save=False)
            stored.append(obj.file.name)
            obj.save()
            objects.append(obj)
    return objects


def _stored_names(storage, folder):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _stored_names(storage, f"{folder}/{directory}")


def media_purge_orphans(*, now: datetime | None = None, grace: timedelta = timedelta(days=1)) -> int:
    """Delete stored inspection files that no row names and that are older than `grace`.

    A file is written before its row commits; when a transaction around the service rolls back
    after that, the file is left without a row. The grace period spares uploads in flight."""
    now = now or timezone.now()
    storage = default_storage
    try:  # not exists(): an object store has no folders, only names under a prefix
        names = list(_stored_names(storage, "inspections"))
    except FileNotFoundError:
        return 0
    known = set(InspectionMedia.objects.values_list("file", flat=True))
    known |= set(RectificationEvidence.objects.values_list("file", flat=True))
    removed = 0
    for name in names:
        if name not in known and storage.get_modified_time(name) < now - grace:
            storage.delete(name)
            removed += 1
    return removed


def _stored(obj, field):
    """A field's value as saved: a form or serializer may already have set the new one on `obj`."""
    return type(obj)._base_manager.filter(pk=obj.pk).values_list(field, flat=True).get()
