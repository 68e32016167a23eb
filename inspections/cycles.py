"""Inspection cycles: when each facility is next due, which are overdue, and coverage (the share
of facilities inspected in their current cycle) per grid, township, county and city.

Cycles run on the calendar: a monthly facility is due within each calendar month, a quarterly
one within each quarter, a yearly one within each year. A facility is *covered* when a filed
report inspected it within its current cycle; *due* when not yet, by the cycle's last day;
*overdue* when it also missed the previous cycle (it existed then and no filed report falls in
that cycle or after), counted from the previous cycle's last day.

This module is the one formula for these figures: the portal, the admin, the API, the
statistics section, the dashboard, the map and the reminders all read `schedule()` and
`coverage()`. Two queries for the facilities of any subtree (cycles, facilities with their last
inspection), then arithmetic per facility.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from mobilization.querysets import region_ancestors, region_prefix
from mobilization.rates import rate

from .choices import CycleMonthsChoices, FacilityKindChoices

__all__ = [
    "DEFAULT_MONTHS",
    "LEVEL_DIGITS",
    "Due",
    "coverage",
    "cycle_bounds",
    "cycle_table",
    "schedule",
]

K = FacilityKindChoices
M = CycleMonthsChoices
# Without a cycle set for the region: sirens monthly, works, shelters and contact points quarterly,
# workstations half-yearly, warehouses yearly.
DEFAULT_MONTHS = {
    K.ALARM_SIREN: M.MONTHLY,
    K.CIVIL_DEFENCE_WORKS: M.QUARTERLY,
    K.EMERGENCY_SHELTER: M.QUARTERLY,
    K.MILITARY_FACILITY: M.QUARTERLY,
    K.RESERVE_WAREHOUSE: M.YEARLY,
    K.WORKSTATION: M.HALF_YEARLY,
    K.CONTACT_POINT: M.QUARTERLY,
}
DEFAULT_REMIND_DAYS = 7
# Coverage levels: the significant digits of the regions rows are grouped by.
LEVEL_DIGITS = {"grid": 12, "township": 9, "county": 6, "city": 4}


def _add_months(day, months):
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def cycle_bounds(day, months):
    """First and last day of the calendar cycle of `months` months that holds `day`."""
    start = datetime.date(day.year, (day.month - 1) // months * months + 1, 1)
    return start, _add_months(start, months) - datetime.timedelta(days=1)


def cycle_table():
    """{(kind, region code): (months, remind days)} of every cycle set by an office."""
    from .models import InspectionCycle

    return {
        (kind, region): (months, remind)
        for kind, region, months, remind in InspectionCycle.objects.values_list(
            "kind", "region_id", "months", "remind_days"
        )
    }


def cycle_for(table, kind, region_code):
    """(months, remind days) for a facility: the deepest region with a cycle for its kind decides."""
    for code in [region_code, *reversed(region_ancestors(region_code))]:
        found = table.get((kind, code))
        if found:
            return found
    return DEFAULT_MONTHS.get(kind, M.QUARTERLY), DEFAULT_REMIND_DAYS


@dataclass(frozen=True)
class Due:
    """One facility's place in its cycle on `today`."""

    facility_id: int
    name: str
    kind: str
    region_id: str
    months: int
    remind_days: int
    cycle_start: datetime.date
    cycle_end: datetime.date
    last_inspected: datetime.date | None
    covered: bool
    overdue: bool
    due_on: datetime.date  # the next due date (the missed one, when overdue)
    days_overdue: int
    latitude: object = None
    longitude: object = None

    def remind_on(self, today):
        """Whether the inspector is reminded on `today`: not inspected yet, due within the window."""
        return not self.covered and not self.overdue and 0 <= (self.due_on - today).days <= self.remind_days


def schedule(facilities, today, table=None):
    """A `Due` per facility of the queryset `facilities` (those out of service are left out)."""
    table = cycle_table() if table is None else table
    rows = (
        facilities.inspected()
        .with_last_inspection(today)
        .values_list("pk", "name", "kind", "region_id", "created", "last_inspected", "latitude", "longitude")
        .order_by("region_id", "kind", "name")
    )
    result = []
    for pk, name, kind, region_id, created, last, lat, lng in rows:
        months, remind = cycle_for(table, kind, region_id)
        start, end = cycle_bounds(today, months)
        previous_start, previous_end = cycle_bounds(start - datetime.timedelta(days=1), months)
        covered = last is not None and last >= start
        existed = _date(created) <= previous_end
        overdue = not covered and existed and (last is None or last < previous_start)
        if covered:
            due_on = cycle_bounds(end + datetime.timedelta(days=1), months)[1]
        else:
            due_on = previous_end if overdue else end
        result.append(
            Due(
                facility_id=pk,
                name=name,
                kind=kind,
                region_id=region_id,
                months=months,
                remind_days=remind,
                cycle_start=start,
                cycle_end=end,
                last_inspected=last,
                covered=covered,
                overdue=overdue,
                due_on=due_on,
                days_overdue=(today - previous_end).days if overdue else 0,
                latitude=lat,
                longitude=lng,
            )
        )
    return result


def _date(value):
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def coverage(rows, region_code, level=None):
    """Coverage per region below `region_code` from `schedule()` rows: grouped by the next level
    down, or by `level` (grid, township, county, city). Each row: region code and name,
    facilities, covered, coverage (%), due (not yet inspected, not overdue) and overdue; the
    last row (region None) is the total."""
    from mobilization.models import Region

    prefix = region_prefix(region_code)
    digits = LEVEL_DIGITS.get(level) or {2: 4, 4: 6, 6: 9, 9: 12}.get(len(prefix), 12)
    digits = max(digits, len(prefix))
    groups = {}
    for row in rows:
        if not row.region_id.startswith(prefix):
            continue
        group = groups.setdefault(row.region_id[:digits].ljust(12, "0"), [0, 0, 0])
        group[0] += 1
        group[1] += row.covered
        group[2] += row.overdue
    names = dict(Region.objects.filter(code__in=list(groups)).values_list("code", "name"))
    table = []
    for code in sorted(groups):
        total, covered, overdue = groups[code]
        table.append(_coverage_row(code, names.get(code, code), total, covered, overdue))
    sums = [sum(g[i] for g in groups.values()) for i in range(3)]
    table.append(_coverage_row(None, None, *sums))
    return table


def _coverage_row(code, name, total, covered, overdue):
    return {
        "region": code,
        "region_name": name,
        "facilities": total,
        "covered": covered,
        "coverage": rate(covered, total),
        "due": total - covered - overdue,
        "overdue": overdue,
    }
