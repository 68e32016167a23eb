"""Reads of the inspections app: who answers at each escalation level of an overdue order.
Selectors only read; they never import services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from mobilization.choices import RoleChoices

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["ESCALATION_CHAIN", "escalation_recipients", "grid_inspectors", "unit_liaisons"]

# Escalation level -> (role notified, significant digits of the region they are bound to).
ESCALATION_CHAIN = {
    1: (RoleChoices.STATION_DIRECTOR, 9),  # the township's workstation
    2: (RoleChoices.OFFICE_STAFF, 6),  # the district/county office
    3: (RoleChoices.OFFICE_STAFF, 4),  # the city office
}


def escalation_recipients(*, region_code: str, level: int) -> list[User]:
    """Active users of the role that answers at `level` for the region around `region_code`."""
    role, digits = ESCALATION_CHAIN[level]
    region = region_code[:digits].ljust(12, "0")
    return list(get_user_model().objects.filter(is_active=True, profile__role=role, profile__region_id=region))


def grid_inspectors(region_codes) -> dict[str, list[User]]:
    """{facility region code: the active inspectors whose grid holds it} (a grid is a village or a
    township): one query for all the codes."""
    codes = set(region_codes)
    candidates = {code: {code, code[:9].ljust(12, "0")} for code in codes}
    wanted = set().union(*candidates.values()) if candidates else set()
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__role=RoleChoices.INSPECTOR, profile__region_id__in=wanted)
        .select_related("profile")
    )
    by_region = {}
    for user in users:
        by_region.setdefault(user.profile.region_id, []).append(user)
    return {code: [u for c in sorted(candidates[code]) for u in by_region.get(c, [])] for code in codes}


def unit_liaisons(unit_id) -> list[User]:
    """The active liaisons of a member unit: who answers for its teams' follow-ups."""
    return list(
        get_user_model().objects.filter(
            is_active=True, profile__role=RoleChoices.UNIT_LIAISON, profile__member_unit_id=unit_id
        )
    )
