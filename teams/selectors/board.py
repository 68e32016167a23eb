"""The response board of a call-out: per team and in total, who was called, reached, answered,
is on the way or has arrived, and what is short against the team type's minimum, with available
replacements. A fixed number of queries, whatever the number of people."""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone

from members.models import Membership, Qualification
from members.querysets import available_q
from mobilization.choices import SMSStatusChoices
from mobilization.querysets import region_prefix

from ..choices import CallAnswerChoices, TeamStatusChoices
from ..models import PersonCall, Team, TypeQualificationRequirement

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from ..models import Activation

__all__ = ["BOARD_FIGURES", "activation_board", "replacement_suggestions"]

YES, NO = CallAnswerChoices.YES, CallAnswerChoices.NO
NOT_ARRIVED = Q(arrived_at__isnull=True)
BOARD_FIGURES = {
    "called": Q(),
    "delivered": Q(sms__status=SMSStatusChoices.DELIVERED),
    "failed": Q(sms__status=SMSStatusChoices.FAILED),
    "yes": Q(answer=YES),
    "no": Q(answer=NO),
    "silent": Q(answer=""),
    "arrived": Q(arrived_at__isnull=False),
    "eta_15": Q(answer=YES, eta_minutes__lte=15) & NOT_ARRIVED,
    "eta_30": Q(answer=YES, eta_minutes__gt=15, eta_minutes__lte=30) & NOT_ARRIVED,
    "eta_60": Q(answer=YES, eta_minutes__gt=30, eta_minutes__lte=60) & NOT_ARRIVED,
    "eta_later": Q(answer=YES) & (Q(eta_minutes__gt=60) | Q(eta_minutes__isnull=True)) & NOT_ARRIVED,
}


def _calls(activation, user):
    calls = PersonCall.objects.filter(activation=activation)
    if user is not None:  # nested rows are scoped too: a liaison's board shows its own teams
        calls = calls.filter(team__in=Team.objects.visible_to(user).values("pk"))
    return calls


def activation_board(*, activation: Activation, user: User | None = None, today: datetime.date | None = None) -> dict:
    """The board as plain data (what the API returns, the pages draw and the export writes)."""
    today = today or timezone.localdate()
    calls = _calls(activation, user)
    per_team = {
        row.pop("team_id"): row
        for row in calls.order_by()
        .values("team_id")
        .annotate(**{name: Count("pk", filter=q) for name, q in BOARD_FIGURES.items()})
    }
    teams = Team.objects.filter(pk__in=list(per_team)).select_related("team_type", "unit").order_by("name")
    requirements: dict[int, list] = {}
    for req in TypeQualificationRequirement.objects.filter(
        team_type__in={t.team_type_id for t in teams}
    ).select_related("kind"):
        requirements.setdefault(req.team_type_id, []).append(req)
    kinds = {r.kind_id for reqs in requirements.values() for r in reqs}
    coming_holders: dict[tuple[int, int], int] = {}
    if kinds:
        valid = Qualification.objects.valid_on(today).filter(kind__in=kinds)
        for row in (
            calls.filter(answer=YES)
            .filter(person__qualifications__in=valid)
            .order_by()
            .values("team_id", "person__qualifications__kind_id")
            .annotate(n=Count("person_id", distinct=True))
        ):
            coming_holders[(row["team_id"], row["person__qualifications__kind_id"])] = row["n"]
    rows = []
    for team in teams:
        figures = per_team[team.pk]
        minimum = team.team_type.min_headcount
        qualification_gaps = []
        for req in requirements.get(team.team_type_id, []):
            needed = math.ceil(req.min_share * minimum / 100)
            coming = coming_holders.get((team.pk, req.kind_id), 0)
            qualification_gaps.append(
                {
                    "kind": {"id": req.kind_id, "code": req.kind.code, "name": req.kind.name},
                    "required": needed,
                    "coming": coming,
                    "short": max(0, needed - coming),
                }
            )
        shortfall = max(0, minimum - figures["yes"])
        rows.append(
            {
                "team": {"id": team.pk, "name": team.name},
                "unit": {"id": team.unit_id, "name": team.unit.name},
                "team_type": {"id": team.team_type_id, "name": team.team_type.name},
                **figures,
                "min_headcount": minimum,
                "shortfall": shortfall,
                "qualifications": qualification_gaps,
                "short": bool(shortfall or any(g["short"] for g in qualification_gaps)),
            }
        )
    total: dict[str, Any] = {name: sum(r[name] for r in rows) for name in BOARD_FIGURES}
    total["min_headcount"] = sum(r["min_headcount"] for r in rows)
    total["shortfall"] = sum(r["shortfall"] for r in rows)
    return {
        "activation": {
            "id": activation.pk,
            "title": activation.title,
            "status": activation.status,
            "is_test": activation.is_test,
        },
        "generated_at": timezone.now().isoformat(),
        "teams": rows,
        "total": total,
        "replacements": replacement_suggestions(activation=activation, board_rows=rows, user=user, today=today),
    }


def replacement_suggestions(
    *, activation: Activation, board_rows: list[dict], user: User | None = None, today: datetime.date, per_team: int = 5
) -> list[dict]:
    """For each short team: available people, not yet called, in other active teams of the same
    type within the activation's region (and the user's scope), holders of a short qualification
    first. Two queries, whatever the number of teams."""
    short = [r for r in board_rows if r["short"]]
    if not short:
        return []
    types = {r["team_type"]["id"] for r in short}
    called_teams = [r["team"]["id"] for r in board_rows]
    teams = Team.objects.filter(
        team_type__in=types,
        status=TeamStatusChoices.ACTIVE,
        region__code__startswith=region_prefix(activation.region.code),
    ).exclude(pk__in=called_teams)
    if user is not None:
        teams = teams.filter(pk__in=Team.objects.visible_to(user).values("pk"))
    candidates = list(
        Membership.objects.filter(team__in=teams, joined__lte=today, left__isnull=True)
        .filter(available_q(today, "person__"))
        .exclude(person__calls__activation=activation)
        .exclude(person__phone="")
        .select_related("person", "team")
        .order_by("team__team_type_id", "person__name")[: 50 * len(types)]
    )
    short_kinds = {k["kind"]["id"] for r in short for k in r["qualifications"] if k["short"]}
    held = set()
    if short_kinds:
        held = set(
            Qualification.objects.valid_on(today)
            .filter(kind__in=short_kinds, person__in=[m.person_id for m in candidates])
            .values_list("person_id", "kind_id")
        )
    suggestions = []
    for row in short:
        wanted = {k["kind"]["id"] for k in row["qualifications"] if k["short"]}
        same_type = [m for m in candidates if m.team.team_type_id == row["team_type"]["id"]]
        same_type.sort(key=lambda m: -sum((m.person_id, k) in held for k in wanted))
        suggestions.append(
            {
                "for_team": row["team"],
                "people": [
                    {
                        "person": {"id": m.person_id, "name": m.person.name},
                        "team": {"id": m.team_id, "name": m.team.name},
                        "holds": sorted(k for k in wanted if (m.person_id, k) in held),
                    }
                    for m in same_type[:per_team]
                ],
            }
        )
    return suggestions
