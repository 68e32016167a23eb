"""Reads of the inspections app: who answers at each escalation level of an overdue order.
Selectors only read; they never import services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from mobilization.choices import RoleChoices

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["ESCALATION_CHAIN", "escalation_recipients"]

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
