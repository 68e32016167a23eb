"""Escalation up the region chain: the one mechanism by which anything overdue (a rectification
order, a stage of a military request) reaches the workstation, then the district/county office,
then the city office, one level per sweep.

A caller keeps the level reached on its own row and calls `escalate` from its daily sweep; the
notification key names the level, so a second sweep on the same day changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model

from .choices import RoleChoices

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["ESCALATION_CHAIN", "due_level", "escalate", "escalation_recipients", "escalation_step_days"]

# Escalation level -> (role notified, significant digits of the region they are bound to).
ESCALATION_CHAIN = {
    1: (RoleChoices.STATION_DIRECTOR, 9),  # the township's workstation
    2: (RoleChoices.OFFICE_STAFF, 6),  # the district/county office
    3: (RoleChoices.OFFICE_STAFF, 4),  # the city office
}


def escalation_step_days() -> int:
    """Days overdue between one escalation level and the next."""
    return getattr(settings, "INSPECTIONS_ESCALATION_STEP_DAYS", 3)


def escalation_recipients(*, region_code: str, level: int) -> list[User]:
    """Active users of the role that answers at `level` for the region around `region_code`."""
    role, digits = ESCALATION_CHAIN[level]
    region = region_code[:digits].ljust(12, "0")
    return list(get_user_model().objects.filter(is_active=True, profile__role=role, profile__region_id=region))


def due_level(days_overdue: int) -> int:
    """The escalation level a thing this many days overdue has earned (0 when not overdue)."""
    if days_overdue < 1:
        return 0
    return min(len(ESCALATION_CHAIN), 1 + (days_overdue - 1) // escalation_step_days())


def escalate(
    *, region_code: str, level: int, days_overdue: int, key: str, kind: str, title, body, url: str, recipients_at=None
) -> int:
    """Raise something overdue one level when it has earned it; the level it now stands at.

    A level with nobody active at it is passed over in the same call, so the step reaches
    somebody; the level returned is the one actually reached (`level` unchanged when none is due).
    The notification's key is `key` + the level: each level is told once. `recipients_at(level)`
    names who answers at a level when the chain's roles are not the ones (a team's own unit first)."""
    from .services import notify

    if level >= due_level(days_overdue):
        return level
    if recipients_at is None:

        def recipients_at(at):
            return escalation_recipients(region_code=region_code, level=at)

    top = max(ESCALATION_CHAIN)
    level += 1
    recipients = recipients_at(level)
    while not recipients and level < top:
        level += 1
        recipients = recipients_at(level)
    notify(recipients=recipients, key=f"{key}:escalation:{level}", kind=kind, title=title, body=body, url=url)
    return level
