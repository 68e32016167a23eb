"""Reads of the command app: the live gap check of an action plan against current readiness and stocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.choices import FacilityStatusChoices
from mobilization.querysets import region_prefix
from teams.choices import TeamStatusChoices
from teams.models import Team

__all__ = ["Gap", "plan_gaps"]


@dataclass
class Gap:
    """One thing a plan relies on that is short now, and why."""

    requirement: object
    target: object
    reasons: list = field(default_factory=list)


def _team_reasons(team, requirement):
    readiness = team.readiness
    needed = requirement.min_headcount or team.team_type.min_headcount
    reasons = []
    if team.status != TeamStatusChoices.ACTIVE:
        reasons.append(_("The team is not active (%(status)s).") % {"status": team.get_status_display()})
    if readiness.headcount < needed:
        reasons.append(_("%(have)d members; the plan needs %(need)d.") % {"have": readiness.headcount, "need": needed})
    if requirement.require_ready and not readiness.ready:
        reasons.extend(str(r) for r in readiness.reasons if str(r) not in reasons)
    return reasons


def plan_gaps(plan, *, today: date | None = None) -> list[Gap]:
    """What the plan relies on that is short now, with reasons: teams below their headcount (or
    not ready, where the plan needs them ready), team types with too few ready teams in the plan's
    region, stocks below the quantity needed and facilities out of service. Read live, each time."""
    today = today or timezone.localdate()
    requirements = list(plan.requirements.select_related("team_type", "stock__facility", "facility"))
    team_ids = [r.team_id for r in requirements if r.team_id]
    teams = {
        t.pk: t for t in Team.objects.filter(pk__in=team_ids).select_related("team_type").with_readiness(today=today)
    }
    gaps = []
    prefix = region_prefix(plan.region_id)
    for requirement in requirements:
        reasons = []
        if requirement.team_id:
            reasons = _team_reasons(teams[requirement.team_id], requirement)
        elif requirement.team_type_id:
            ready = (
                Team.objects.filter(team_type=requirement.team_type, region__code__startswith=prefix)
                .with_readiness(today=today)
                .ready()
                .count()
            )
            if ready < requirement.min_ready_teams:
                reasons.append(
                    _("%(have)d ready teams of this type in the region; the plan needs %(need)d.")
                    % {"have": ready, "need": requirement.min_ready_teams}
                )
        elif requirement.stock_id:
            stock = requirement.stock
            if stock.quantity < requirement.min_quantity:
                reasons.append(
                    _("%(have)s %(unit)s in stock; the plan needs %(need)s.")
                    % {
                        "have": f"{stock.quantity.normalize():f}",
                        "unit": stock.unit,
                        "need": f"{requirement.min_quantity.normalize():f}",
                    }
                )
        elif requirement.facility_id and requirement.facility.status != FacilityStatusChoices.IN_SERVICE:
            reasons.append(_("The facility is %(status)s.") % {"status": requirement.facility.get_status_display()})
        if reasons:
            gaps.append(Gap(requirement=requirement, target=requirement.target, reasons=reasons))
    return gaps
