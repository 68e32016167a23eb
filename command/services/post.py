"""The command log: entries appended with their author and time, and its export as a file signed
with HMAC-SM3 (`mobilization.crypto.sign_bytes`) that anyone holding the system's key can verify."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from mobilization.choices import AuditActionChoices
from mobilization.crypto import sign_bytes, verify_signature
from mobilization.services import audit_record
from mobilization.spreadsheets import write_row

from ..models import CommandPost, LogEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["command_log_append", "command_log_export", "command_log_verify"]


@transaction.atomic
def command_log_append(
    *, post: CommandPost, by: User, kind: str, text: str, corrects: LogEntry | None = None
) -> LogEntry:
    """Append an entry by `by`, timed now. A correction names the entry it corrects, which stays."""
    if post.closed_at is not None:
        raise ValidationError(_("The command post is closed: its log is complete."))
    entry = LogEntry(post=post, kind=kind, text=text, author=by, corrects=corrects)
    entry.full_clean()
    entry.save()
    audit_record(
        action=AuditActionChoices.CREATE,
        user=by,
        obj=entry,
        detail={"post": str(post), "kind": kind, "corrects": corrects.pk if corrects else None},
    )
    return entry


def command_log_export(*, post: CommandPost, by: User) -> tuple[bytes, str, str]:
    """The post's log as a workbook, with its signature and file name: (data, signature, name)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Command log"))
    write_row(sheet, [str(post), _("Exported at"), timezone.localtime().isoformat(timespec="seconds")])
    write_row(sheet, [_("No."), _("Time"), _("Kind"), _("Author"), _("Text"), _("Corrects")])
    for entry in post.log.select_related("author").order_by("at", "pk"):
        write_row(
            sheet,
            [
                entry.pk,
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                entry.get_kind_display(),
                entry.author.get_full_name() or entry.author.get_username(),
                entry.text,
                entry.corrects_id or "",
            ],
        )
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    signature = sign_bytes(data)
    audit_record(action=AuditActionChoices.EXPORT, user=by, obj=post, detail={"signature": signature})
    return data, signature, f"command-log-{post.pk}-{timezone.localdate():%Y%m%d}.xlsx"


def command_log_verify(*, data: bytes, signature: str) -> bool:
    """Whether `data` is exactly an exported log that this system signed with `signature`."""
    return verify_signature(data, signature)
