"""Storing checked uploads on a row of the command app (all or nothing, like the inspections')."""

from django.core.files.storage import default_storage

from inspections.uploads import prepare_uploads

__all__ = ["store_uploads"]


def store_uploads(model, files, *, by, **parent):
    """Check every file (`inspections.uploads`; PDF documents admitted: briefing papers, plans,
    lecture notes), then store each on a new `model` row under `parent`."""
    prepared = prepare_uploads(files, documents=True)
    objects, stored = [], []
    try:
        for item in prepared:
            obj = model(kind=item.kind, content_type=item.content_type, size=item.size, uploaded_by=by, **parent)
            obj.file.save(f"upload.{item.extension}", item.content, save=False)
            stored.append(obj.file.name)
            obj.save()
            objects.append(obj)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return objects
