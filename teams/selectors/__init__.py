"""Reads of the teams app that serve its services and pages: who answers for a team, and which
mobiles a call-out reaches. Selectors only read; they never import services."""

from members.choices import MembershipRoleChoices
from mobilization.choices import RoleChoices
from mobilization.models import UserProfile
from mobilization.validators import MOBILE_PATTERN

from ..models import Team

__all__ = ["team_callout_phones", "team_liaisons"]


def team_liaisons(*, team: Team) -> list[int]:
    """Users who answer for a team: the liaisons of its member unit and of every unit above it."""
    ancestor_ids = [int(pk) for pk in team.unit.tree_path.strip("/").split("/") if pk]
    return [
        p.user_id
        for p in UserProfile.objects.filter(role=RoleChoices.UNIT_LIAISON, member_unit_id__in=ancestor_ids).only(
            "user_id"
        )
    ]


def team_callout_phones(*, team: Team) -> set[str]:
    """The mobiles a call-out reaches directly, account or not: the team's current leader and
    deputies, and its duty phone when that is a mobile (a landline cannot take an SMS)."""
    phones = set(
        team.memberships.current()
        .filter(role__in=[MembershipRoleChoices.LEADER, MembershipRoleChoices.DEPUTY])
        .exclude(person__phone="")
        .values_list("person__phone", flat=True)
    )
    if MOBILE_PATTERN.match(team.duty_phone):
        phones.add(team.duty_phone)
    return phones
