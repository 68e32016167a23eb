"""Reads of the inspections app: who answers at each escalation level of an overdue order (the
chain itself is the core's, `mobilization.escalation`, shared with every overdue workflow).
Selectors only read; they never import services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from mobilization.choices import RoleChoices
from mobilization.escalation import ESCALATION_CHAIN, escalation_recipients

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["ESCALATION_CHAIN", "escalation_recipients", "grid_inspectors", "unit_liaisons"]


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
