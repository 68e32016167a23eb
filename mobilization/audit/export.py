"""The auditor's copy of the trail: an .xlsx workbook, Beijing time, no formulas; the export
is itself an event of the trail."""

import io
import json

from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import AuditActionChoices
from ..spreadsheets import write_row

__all__ = ["audit_export_workbook"]

MAX_ROWS = 1_000_000  # one sheet's limit, less the header


def _headers():
    return [
        _("Time (Beijing)"), _("Username"), _("Full name"), _("Role"), _("Action"), _("Outcome"),
        _("IP address"), _("Object type"), _("Object id"), _("Object"), _("Fields changed"), _("Detail"),
        _("Event id"), _("Hash"),
    ]  # fmt: skip


def _text(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def audit_export_workbook(*, by, queryset, request=None, filters=None):
    """The events of `queryset` that `by` may read, newest first, as .xlsx bytes."""
    from openpyxl import Workbook

    from ..services import audit_record

    events = queryset.visible_to(by).order_by("-id")[:MAX_ROWS]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit trail")[:31])
    sheet.append(_headers())
    count = 0
    for event in events.iterator(chunk_size=2000):
        write_row(
            sheet,
            [
                timezone.localtime(event.created).strftime("%Y-%m-%d %H:%M:%S"),
                event.username,
                event.full_name,
                str(event.role_display),
                event.get_action_display(),
                event.get_outcome_display(),
                event.ip_address or "",
                event.object_type,
                event.object_id,
                event.object_repr,
                _text(event.changes),
                _text(event.detail),
                event.pk,
                event.hash,
            ],
        )
        count += 1
    audit_record(
        action=AuditActionChoices.EXPORT,
        request=request,
        user=by,
        detail={"model": "mobilization.AuditEvent", "rows": count, "filters": filters or {}},
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
