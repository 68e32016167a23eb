"""Reads of the roster: the persons an export lists, each person's current membership, and the
qualifications about to expire with the users to warn. Selectors only read; they never import services."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mobilization.choices import RoleChoices
from mobilization.models import UserProfile
from mobilization.querysets import region_ancestors, region_prefix
from mobilization.workqueue import work_item

from .choices import RosterChangeStatusChoices
from .models import Membership, Person, Qualification, RosterChange
from .querysets import WARNING_DAYS

if TYPE_CHECKING:
    from django.contrib.auth.models import User


__all__ = [
    "memberships_current_by_person",
    "qualifications_expiring",
    "qualifications_expiring_with_recipients",
    "roster_change_deciders",
    "roster_changes_to_decide",
    "roster_changes_waiting",
    "roster_export_persons",
]


def roster_export_persons(*, user: User, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """The persons of `queryset` (default: everyone) that `user` may see, in the export's order,
    with what each exported row reads."""
    persons = (queryset if queryset is not None else Person.objects.all()).visible_to(user)
    return (
        persons.select_related("employer")
        .prefetch_related("qualifications__kind")
        .order_by("employer_id", "name", "pk")
    )


def memberships_current_by_person(
    *, person_ids: Iterable[int] | QuerySet[Person, int], related: tuple[str, ...] = ("team",)
) -> dict[int, Membership]:
    """person id -> their current membership, for the persons named (ids, or a queryset of ids)."""
    current = Membership.objects.current().filter(person_id__in=person_ids).select_related(*related)
    return {m.person_id: m for m in current}


def qualifications_expiring_with_recipients(
    *, today: datetime.date, days: int
) -> list[tuple[Qualification, list[int]]]:
    """Each qualification expiring within `days` of `today`, with the ids of the active users to
    warn: the liaisons of the holder's unit and of the unit owning the holder's current team (and
    of the units above either), and the office staff over the holder's unit's region."""
    expiring = list(Qualification.objects.expiring_within(today, days).select_related("person__employer", "kind"))
    if not expiring:
        return []
    # A person may work for one unit and serve in a team another unit runs: that unit's liaison
    # answers for the team's readiness, so it is warned too.
    team_units = {
        person_id: m.team.unit
        for person_id, m in memberships_current_by_person(
            person_ids={q.person_id for q in expiring}, related=("team__unit",)
        ).items()
    }
    profiles = list(
        UserProfile.objects.filter(
            role__in=[RoleChoices.UNIT_LIAISON, RoleChoices.OFFICE_STAFF], user__is_active=True
        ).select_related("member_unit")
    )
    liaisons = [
        (p.member_unit.tree_path, p.user_id)
        for p in profiles
        if p.member_unit_id and p.role == RoleChoices.UNIT_LIAISON
    ]
    offices = [(region_prefix(p.region_id), p.user_id) for p in profiles if p.role == RoleChoices.OFFICE_STAFF]
    result = []
    for q in expiring:
        employer = q.person.employer
        paths = {employer.tree_path}
        if q.person_id in team_units:
            paths.add(team_units[q.person_id].tree_path)
        recipients = {u for path, u in liaisons if any(p.startswith(path) for p in paths)}
        recipients |= {u for prefix, u in offices if employer.region_id.startswith(prefix)}
        result.append((q, sorted(recipients)))
    return result


def roster_change_deciders(*, unit) -> list[int]:
    """The office staff told of a unit's roster change: those of the nearest office above the
    unit (its district's, else its city's, else its province's) that has active staff."""
    levels = [unit.region_id, *reversed(region_ancestors(unit.region_id))]
    staff = UserProfile.objects.filter(role=RoleChoices.OFFICE_STAFF, region_id__in=levels, user__is_active=True)
    by_region: dict[str, list[int]] = {}
    for region_id, user_id in staff.values_list("region_id", "user_id"):
        by_region.setdefault(region_id, []).append(user_id)
    return next((sorted(by_region[code]) for code in levels if code in by_region), [])


# --- the work queue (mobilization.workqueue) -----------------------------------------------------


@work_item(
    "roster_changes_to_decide",
    _("Roster changes to decide"),
    order=10,
    permission="members.decide_rosterchange",
    admin=("admin:members_rosterchange_changelist", {"status__exact": RosterChangeStatusChoices.PENDING}),
    tone="due",
)
def roster_changes_to_decide(*, user: User, today: datetime.date) -> QuerySet[RosterChange]:
    return RosterChange.objects.visible_to(user).pending()


@work_item(
    "roster_changes_waiting",
    _("Your roster changes awaiting a decision"),
    order=11,
    permission="members.add_rosterchange",
    portal=("portal:members-changes", {}),
)
def roster_changes_waiting(*, user: User, today: datetime.date) -> QuerySet[RosterChange]:
    return RosterChange.objects.visible_to(user).pending().filter(submitted_by=user)


@work_item(
    "qualifications_expiring",
    _("Qualifications expiring within 30 days"),
    order=60,
    permission="members.view_qualification",
    admin=(
        "admin:members_qualification_changelist",
        lambda today: {"expires__gte": today, "expires__lte": today + datetime.timedelta(days=WARNING_DAYS)},
    ),
    tone="due",
)
def qualifications_expiring(*, user: User, today: datetime.date) -> QuerySet[Qualification]:
    return Qualification.objects.visible_to(user).expiring_within(today)
