"""The registry of statistics sections, and the helpers sections share.

A section is one table of figures about a region subtree and a period, declared by the app that
owns the figures in its own `sections.py` (teams, members, training, inspections; the year
statuses below are reporting's own), as apps declare admin classes:

    from reporting.sections import section

    @section("teams_by_level", _("Teams by level"), order=30, chart={...})
    def teams_by_level(prefix, period_start, period_end):
        return {"columns": [...], "rows": [...], "headline": [...], "note": ""}

`ReportingConfig.ready()` imports every installed app's `sections` module
(`autodiscover_modules("sections")`); reporting only collects and renders: `compute_figures`
runs every registered section for one region subtree and period, which is what the dashboard
draws, a report freezes and a snapshot stores. Each section computes in the database through
its app's queryset methods (a few queries, never a loop over a big table), and every rate
follows `mobilization.rates`.

The dashboard does not call `compute_figures` per view: it reads the figures stored for the region,
period and language (`reporting.services.dashboard_figures`: fresh for `DASHBOARD_FIGURES_MAX_AGE`
seconds, then shown while a queued task recomputes them; a report or snapshot computed stores its
figures there too), which are exactly what `compute_figures` gave at their `computed_at`.

State figures (teams, strength, readiness, people, qualifications) are read as of the period's
end, or today if the period has not ended; event figures (exercises, inspections) count what
happened within the period.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization.models import MemberUnit, Region
from mobilization.querysets import LEVEL_DIGITS

__all__ = [
    "BAR",
    "Section",
    "SectionRegistry",
    "as_of",
    "by_child_region",
    "child_digits",
    "child_names",
    "compute_figures",
    "compute_section",
    "end_of_day",
    "registry",
    "section",
    "start_of_day",
]

# The usual chart: bars labelled by the first column.
BAR = {"type": "bar", "label": 0}


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    function: object
    order: int
    # How the dashboard draws it: the label column, the value columns, and bar or doughnut;
    # "right" names value columns drawn against a second axis (a rate beside a count).
    chart: dict = field(default_factory=dict)


class SectionRegistry:
    """The sections every app declared, in report order (`order`, then key)."""

    def __init__(self):
        # Named as the admin site's: autodiscover_modules restores it if an import fails.
        self._registry = {}

    def register(self, key, title, *, order, chart=None):
        """Decorator: register the decorated function as section `key`."""

        def decorate(function):
            if key in self._registry and self._registry[key].function is not function:
                raise ValueError(f"Statistics section {key!r} is registered twice.")
            self._registry[key] = Section(key, title, function, order, chart or {})
            return function

        return decorate

    def sections(self):
        return sorted(self._registry.values(), key=lambda s: (s.order, s.key))

    def keys(self):
        return [s.key for s in self.sections()]

    def __getitem__(self, key):
        return self._registry[key]

    def __contains__(self, key):
        return key in self._registry


registry = SectionRegistry()
section = registry.register


# --- helpers the apps' sections share ------------------------------------------------------------------


def as_of(period_end, today=None):
    """The date state figures are read on: the period's end, or today for a period still running."""
    today = today or timezone.localdate()
    return min(period_end, today)


def start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def end_of_day(day):
    """Midnight after `day` (local time): the first moment not in it."""
    return start_of_day(day + datetime.timedelta(days=1))


def child_digits(prefix):
    """The length of the code prefix of the regions one level below `prefix`."""
    for digits in sorted(LEVEL_DIGITS.values()):
        if digits > len(prefix):
            return digits
    return len(prefix)


def child_names(prefix, digits):
    """Codes and names of the regions one level below the prefix."""
    level = {d: name for name, d in LEVEL_DIGITS.items()}[digits]
    names = dict(Region.objects.filter(code__startswith=prefix, level=level).values_list("code", "name"))
    # Rows held by the region itself (a county-level team of a county) fall under its own name.
    names.update(Region.objects.filter(code=prefix.ljust(12, "0")).values_list("code", "name"))
    return names


def by_child_region(queryset, prefix, region_path, **aggregates):
    """Group `queryset` by the region one level below `prefix` (through `region_path`, a lookup
    to a Region foreign key) and name each group: [(name, {aggregate: value})]."""
    digits = child_digits(prefix)
    rows = (
        queryset.annotate(child=Substr(f"{region_path}_id", 1, digits))
        .values("child")
        .annotate(**aggregates)
        .order_by("child")
    )
    names = child_names(prefix, digits)
    return [(names.get(r["child"].ljust(12, "0"), r["child"]), r) for r in rows]


# --- collecting and running them -------------------------------------------------------------------------


def _plain(value):
    """Figures are stored as JSON: a rate (a Decimal) becomes a number."""
    return float(value) if isinstance(value, Decimal) else value


def compute_section(key, prefix, period_start, period_end):
    entry = registry[key]
    table = entry.function(prefix, period_start, period_end)
    return {
        "key": key,
        "title": str(entry.title),
        "chart": entry.chart,
        "note": table.get("note", ""),
        "columns": table["columns"],
        "rows": [[_plain(value) for value in row] for row in table["rows"]],
        # Headline figures ([{"label", "value"}]) shown large above the charts.
        "headline": [{**item, "value": _plain(item["value"])} for item in table.get("headline", [])],
    }


def compute_figures(region, period_start, period_end, keys=None, progress=None):
    """Every section (or those in `keys`) for the subtree of `region` over the period."""
    prefix = region.prefix
    keys = list(keys or registry.keys())
    sections = []
    for index, key in enumerate(keys):
        sections.append(compute_section(key, prefix, period_start, period_end))
        if progress:
            progress(index + 1, len(keys))
    return {
        "region": region.code,
        "region_name": region.name,
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "as_of": as_of(period_end).isoformat(),
        "sections": sections,
    }


# --- reporting's own section ------------------------------------------------------------------------------


@section(
    "member_unit_year_status",
    _("Member units through the year (plan, supervision, evaluation)"),
    order=100,
    chart={**BAR, "values": [2, 3, 4], "stacked": True},
)
def member_unit_year_status(prefix, period_start, period_end):
    from .choices import YearPhaseChoices, YearStatusChoices
    from .models import MemberUnitYearStatus

    units = MemberUnit.objects.filter(region__code__startswith=prefix).count()
    counts = {
        (r["phase"], r["status"]): r["n"]
        for r in MemberUnitYearStatus.objects.filter(unit__region__code__startswith=prefix, year=period_end.year)
        .values("phase", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = []
    for phase, label in YearPhaseChoices.choices:
        submitted = counts.get((phase, YearStatusChoices.SUBMITTED), 0)
        accepted = counts.get((phase, YearStatusChoices.ACCEPTED), 0)
        rows.append([str(label), units, units - submitted - accepted, submitted, accepted])
    return {
        "columns": [
            gettext("Phase (%(year)s)") % {"year": period_end.year},
            gettext("Member units"),
            gettext("Not started"),
            gettext("Submitted"),
            gettext("Accepted"),
        ],
        "rows": rows,
    }
