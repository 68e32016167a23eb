"""Stored attachments of the command app: checked by `inspections.uploads` like every upload,
kept under `command/` (the inspections purge looks only at its own folder)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import MediaFile

__all__ = ["CommandFile", "command_upload_to"]


def command_upload_to(instance, filename):
    """A path of our own: a random name and the extension of the sniffed type, never the user's name."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"command/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class CommandFile(MediaFile):
    file = models.FileField(_("file"), upload_to=command_upload_to, max_length=255)

    class Meta:
        abstract = True
