"""Reads across models that belong to no single app: the change feed the auditor reads."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.apps import apps

from .models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

__all__ = ["change_log", "known_model"]


def known_model(label: str) -> str | None:
    """The stored label of the model `label` names ("members.person" -> "members.Person"), or None."""
    try:
        return apps.get_model(label)._meta.label
    except (LookupError, ValueError):
        return None


def change_log(
    *,
    user: User,
    model: str | None = None,
    user_id: int | str | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Every recorded change (create, change, delete, role change) that `user` may read, newest
    first, from the one audit trail: each with who, when and the fields changed."""
    events = AuditEvent.objects.visible_to(user).record_changes()
    if model:
        events = events.filter(object_type=known_model(model))
    if user_id:
        events = events.filter(user_id=user_id)
    if since:
        events = events.filter(created__gte=since)
    if until:
        events = events.filter(created__lt=until)
    return events.order_by("-id")
