"""Demo statistics: where each member unit stands in the plan, supervision and evaluation of
last year and this one. Runs after the other apps' demo parts (reporting is installed last)."""

import datetime
import random

from mobilization.models import MemberUnit

from .choices import PeriodKindChoices, YearPhaseChoices, YearStatusChoices
from .models import MemberUnitYearStatus
from .periods import period_bounds

__all__ = ["seed", "seed_year_statuses"]


# Per mille of units accepted and submitted in a phase, by how far the phase is behind us.
PHASE_SHARES = {
    "closed": (920, 50),  # more than a month after the phase ended
    "just_closed": (700, 250),  # within a month after it ended
    "closing": (200, 400),  # its last two months
}


def _phase_state(today, end):
    if today > end + datetime.timedelta(days=30):
        return "closed"
    if today > end:
        return "just_closed"
    if today >= end - datetime.timedelta(days=60):
        return "closing"
    return None  # every unit still "not started": no rows


def seed_year_statuses(ctx):
    """Each member unit's place in the phases of last year and this one, as far as `ctx.today`
    has come: most units accepted in a closed phase, a spread in the phase now closing. Units
    not started have no row. Each draw is seeded by the unit's credit code, year and phase, and
    only missing rows are added, so a second run changes nothing."""
    units = list(MemberUnit.objects.filter(region__code__startswith=ctx.city.code[:4]).order_by("pk"))
    existing = set(MemberUnitYearStatus.objects.filter(unit__in=units).values_list("unit_id", "year", "phase"))
    new = []
    for year in (ctx.today.year - 1, ctx.today.year):
        for phase in YearPhaseChoices.values:
            # The phases end with their reporting periods: the plan in March, supervision in June.
            _start, end = period_bounds(PeriodKindChoices(phase), datetime.date(year, 1, 1))
            state = _phase_state(ctx.today, end)
            if state is None:
                continue
            accepted, submitted = PHASE_SHARES[state]
            for unit in units:
                if (unit.pk, year, phase) in existing:
                    continue
                draw = random.Random(f"year-status:{unit.credit_code}:{year}:{phase}").randrange(1000)
                if draw < accepted:
                    status = YearStatusChoices.ACCEPTED
                elif draw < accepted + submitted:
                    status = YearStatusChoices.SUBMITTED
                else:
                    continue
                new.append(MemberUnitYearStatus(unit=unit, year=year, phase=phase, status=status))
    MemberUnitYearStatus.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def seed(ctx):
    made = seed_year_statuses(ctx)
    ctx.stdout.write(f"  reporting: {made} member-unit year statuses added")
