"""Storing checked uploads on a row of the command app: the inspections app's all-or-nothing
storing (`inspections.services.media_store`), with PDF documents admitted."""

from inspections.services import media_store
from inspections.uploads import prepare_uploads

__all__ = ["store_uploads"]


def store_uploads(model, files, *, by, **parent):
    """Check every file (`inspections.uploads`; PDF documents admitted: briefing papers, plans,
    lecture notes), then store each on a new `model` row under `parent`."""
    return media_store(model, prepare_uploads(files, documents=True), by=by, **parent)
