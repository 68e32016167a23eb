"""Training for command cadres: officials' attendance and assessment, and the materials library."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from ..models import CadreAttendance, CadreSession, Official, SessionMaterial
from .files import store_uploads

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["cadre_attendance_record", "session_add_materials"]


@transaction.atomic
def cadre_attendance_record(
    *, session: CadreSession, official: Official, by: User, present: bool = True, score=None, note: str = ""
) -> CadreAttendance:
    """Record (or correct) one official's attendance and assessment of a session."""
    row, _created = CadreAttendance.objects.get_or_create(session=session, official=official)
    row.present, row.score, row.note = present, score, note
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def session_add_materials(*, session: CadreSession, files, by: User, title: str = "") -> list[SessionMaterial]:
    return store_uploads(SessionMaterial, files, by=by, session=session, title=title)
