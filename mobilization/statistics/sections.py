"""The registry of statistics sections.

A section is a function `(region_prefix, period_start, period_end) -> {"title", "columns", "rows"}`
that computes one table of figures in the database (aggregate / annotate / values: a few queries,
never a loop over rows of a big table). Sections are registered with `@section(...)` naming the
models they read; a section whose app has not landed reports itself "not available" instead of
failing. `compute_figures` runs them all for one region subtree and period: what the dashboard
draws, what a report freezes and what a snapshot stores.

State figures (teams, strength, readiness, people, qualifications) are read as of the period's
end, or today if the period has not ended; event figures (exercises, inspections) count what
happened within the period.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.db.models.functions import Greatest, Least, Substr
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..querysets import LEVEL_DIGITS

__all__ = ["SECTIONS", "Section", "as_of", "compute_figures", "compute_section", "section"]

SECTIONS = {}


@dataclass
class Section:
    key: str
    title: object
    models: tuple
    function: object
    # How the dashboard draws it: the label column, the value columns, and bar or doughnut.
    chart: dict = field(default_factory=dict)

    def missing_models(self):
        missing = []
        for label in self.models:
            try:
                apps.get_model(label)
            except LookupError:
                missing.append(label)
        return missing


def section(key, title, *, models=(), chart=None):
    """Register a section under `key` (the order of registration is the order of the report)."""

    def register(function):
        SECTIONS[key] = Section(key, title, tuple(models), function, chart or {})
        return function

    return register


def as_of(period_end, today=None):
    """The date state figures are read on: the period's end, or today for a period still running."""
    today = today or timezone.localdate()
    return min(period_end, today)


def _end_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def compute_section(key, prefix, period_start, period_end):
    entry = SECTIONS[key]
    missing = entry.missing_models()
    result = {"key": key, "title": str(entry.title), "chart": entry.chart}
    if missing:
        return {
            **result,
            "available": False,
            "note": gettext("Not available: %(models)s not in this installation yet.") % {"models": ", ".join(missing)},
            "columns": [],
            "rows": [],
        }
    table = entry.function(prefix, period_start, period_end)
    return {
        **result,
        "available": True,
        "note": table.get("note", ""),
        "columns": table["columns"],
        "rows": table["rows"],
        # Headline figures ([{"label", "value"}]) shown large above the charts.
        "headline": table.get("headline", []),
    }


def compute_figures(region, period_start, period_end, keys=None, progress=None):
    """Every section (or those in `keys`) for the subtree of `region` over the period."""
    prefix = region.prefix
    keys = list(keys or SECTIONS)
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


# --- helpers ---------------------------------------------------------------------------------------


def _model(label):
    return apps.get_model(label)


def _rate(part, whole):
    """A percentage to one decimal, or None when there is nothing to divide by (no exercise held,
    no rectification due): "0.0%" would read as a failure that did not happen."""
    return round(part * 100 / whole, 1) if whole else None


def _percent(rate):
    """A rate as a headline shows it: "95.5%", or "—" when there is none."""
    return "—" if rate is None else f"{rate}%"


def _labels(choices):
    return {value: str(label) for value, label in choices}


def _teams(prefix, period_end):
    """Teams of the subtree that exist at the period's end (not disbanded, established by then)."""
    team = _model("teams.Team")
    return (
        team.objects.filter(region__code__startswith=prefix)
        .exclude(status="disbanded")
        .filter(Q(established__isnull=True) | Q(established__lte=period_end))
    )


def _headcounts(prefix, period_end, group):
    """Current members on the as-of date per `group` (a lookup from the membership)."""
    from teams.querysets import current_memberships

    team_ids = _teams(prefix, period_end).values("pk")
    rows = (
        current_memberships(as_of(period_end))
        .filter(team_id__in=team_ids)
        .order_by()
        .values(group)
        .annotate(n=Count("pk"))
    )
    return {r[group]: r["n"] for r in rows}


def _child_digits(prefix):
    for digits in sorted(LEVEL_DIGITS.values()):
        if digits > len(prefix):
            return digits
    return len(prefix)


def _child_names(prefix, digits):
    """Codes and names of the regions one level below the prefix."""
    level = {d: name for name, d in LEVEL_DIGITS.items()}[digits]
    region = _model("mobilization.Region")
    names = dict(region.objects.filter(code__startswith=prefix, level=level).values_list("code", "name"))
    # Rows held by the region itself (a county-level team of a county) fall under its own name.
    names.update(region.objects.filter(code=prefix.ljust(12, "0")).values_list("code", "name"))
    return names


# --- sections of the existing models ------------------------------------------------------------------

BAR = {"type": "bar", "label": 0}


@section(
    "teams_by_category",
    _("Teams by category"),
    models=("teams.Team", "members.Membership"),
    chart={**BAR, "values": [1, 3]},
)
def teams_by_category(prefix, period_start, period_end):
    rows = (
        _teams(prefix, period_end)
        .values("team_type__category_id", "team_type__category__name", "team_type__category__order")
        .annotate(teams=Count("pk"), authorised=Sum("authorised_strength"))
        .order_by("team_type__category__order", "team_type__category_id")
    )
    heads = _headcounts(prefix, period_end, "team__team_type__category_id")
    return {
        "columns": [gettext("Category"), gettext("Teams"), gettext("Authorised strength"), gettext("Headcount")],
        "rows": [
            [
                r["team_type__category__name"],
                r["teams"],
                r["authorised"] or 0,
                heads.get(r["team_type__category_id"], 0),
            ]
            for r in rows
        ],
    }


@section("teams_by_type", _("Teams by type"), models=("teams.Team", "members.Membership"), chart={**BAR, "values": [2]})
def teams_by_type(prefix, period_start, period_end):
    rows = (
        _teams(prefix, period_end)
        .values("team_type_id", "team_type__name", "team_type__category__name", "team_type__category__order")
        .annotate(teams=Count("pk"), authorised=Sum("authorised_strength"))
        .order_by("team_type__category__order", "team_type__name")
    )
    heads = _headcounts(prefix, period_end, "team__team_type_id")
    return {
        "columns": [
            gettext("Type"),
            gettext("Category"),
            gettext("Teams"),
            gettext("Authorised strength"),
            gettext("Headcount"),
        ],
        "rows": [
            [
                r["team_type__name"],
                r["team_type__category__name"],
                r["teams"],
                r["authorised"] or 0,
                heads.get(r["team_type_id"], 0),
            ]
            for r in rows
        ],
    }


@section(
    "teams_by_level", _("Teams by level"), models=("teams.Team", "members.Membership"), chart={**BAR, "values": [1]}
)
def teams_by_level(prefix, period_start, period_end):
    from teams.choices import TeamLevelChoices

    rows = {
        r["level"]: r
        for r in _teams(prefix, period_end)
        .values("level")
        .annotate(teams=Count("pk"), authorised=Sum("authorised_strength"))
        .order_by()
    }
    heads = _headcounts(prefix, period_end, "team__level")
    teams, authorised = sum(r["teams"] for r in rows.values()), sum(r["authorised"] or 0 for r in rows.values())
    headcount = sum(heads.values())
    return {
        "headline": [
            {"label": gettext("Teams"), "value": teams},
            {"label": gettext("Headcount"), "value": headcount},
            {"label": gettext("Strength rate"), "value": _percent(_rate(headcount, authorised))},
        ],
        "columns": [gettext("Level"), gettext("Teams"), gettext("Authorised strength"), gettext("Headcount")],
        "rows": [
            [str(label), rows[value]["teams"], rows[value]["authorised"] or 0, heads.get(value, 0)]
            for value, label in TeamLevelChoices.choices
            if value in rows
        ],
    }


@section(
    "strength_by_region",
    _("Strength against authorised, by region"),
    models=("teams.Team", "members.Membership"),
    chart={**BAR, "values": [2, 3]},
)
def strength_by_region(prefix, period_start, period_end):
    digits = _child_digits(prefix)
    rows = (
        _teams(prefix, period_end)
        .annotate(child=Substr("region_id", 1, digits))
        .values("child")
        .annotate(teams=Count("pk"), authorised=Sum("authorised_strength"))
        .order_by("child")
    )
    heads = _headcounts(prefix, period_end, "team__region_id")
    by_child = {}
    for code, n in heads.items():
        by_child[code[:digits]] = by_child.get(code[:digits], 0) + n
    names = _child_names(prefix, digits)
    result = []
    for r in rows:
        head = by_child.get(r["child"], 0)
        name = names.get(r["child"].ljust(12, "0"), r["child"])
        result.append([name, r["teams"], r["authorised"] or 0, head, _rate(head, r["authorised"] or 0)])
    return {
        "columns": [
            gettext("Region"),
            gettext("Teams"),
            gettext("Authorised strength"),
            gettext("Headcount"),
            gettext("Strength rate (%)"),
        ],
        "rows": result,
    }


@section(
    "readiness",
    _("Readiness by category"),
    models=("teams.Team", "teams.StandbyDuty", "members.Membership"),
    chart={**BAR, "values": [1, 2]},
)
def readiness(prefix, period_start, period_end):
    day = as_of(period_end)
    rows = (
        _teams(prefix, period_end)
        .filter(status="active")
        .with_readiness(today=day, now=_end_of_day(day) - datetime.timedelta(seconds=1))
        .values("team_type__category_id", "team_type__category__name", "team_type__category__order")
        .annotate(
            teams=Count("pk"),
            ready_teams=Count("pk", filter=Q(ready=True)),
            on_standby=Count("pk", filter=Q(standby_now=True)),
        )
        .order_by("team_type__category__order", "team_type__category_id")
    )
    rows = list(rows)
    active, ready = sum(r["teams"] for r in rows), sum(r["ready_teams"] for r in rows)
    return {
        "headline": [{"label": gettext("Readiness rate"), "value": _percent(_rate(ready, active))}],
        "columns": [
            gettext("Category"),
            gettext("Active teams"),
            gettext("Ready"),
            gettext("Readiness rate (%)"),
            gettext("On standby"),
        ],
        "rows": [
            [
                r["team_type__category__name"],
                r["teams"],
                r["ready_teams"],
                _rate(r["ready_teams"], r["teams"]),
                r["on_standby"],
            ]
            for r in rows
        ],
    }


@section(
    "standby_coverage",
    _("Standby coverage in the period"),
    models=("teams.Team", "teams.StandbyDuty"),
    chart={**BAR, "values": [3]},
)
def standby_coverage(prefix, period_start, period_end):
    # A period still running counts the duty served so far, not the duty rostered ahead.
    start = _start_of_day(period_start)
    end = max(start, min(_end_of_day(period_end), timezone.now()))
    teams = _teams(prefix, period_end).filter(status="active")
    totals = {
        r["team_type__category_id"]: r
        for r in teams.values("team_type__category_id", "team_type__category__name", "team_type__category__order")
        .annotate(teams=Count("pk"))
        .order_by()
    }
    duties = (
        _model("teams.StandbyDuty")
        .objects.filter(team__in=teams.values("pk"), start__lt=end, end__gt=start)
        .annotate(span=ExpressionWrapper(Least(F("end"), end) - Greatest(F("start"), start), DurationField()))
        .values("team__team_type__category_id")
        .annotate(covered=Count("team", distinct=True), duration=Sum("span"))
        .order_by()
    )
    covered = {r["team__team_type__category_id"]: r for r in duties}
    result = []
    for key, t in sorted(totals.items(), key=lambda kv: (kv[1]["team_type__category__order"], kv[0])):
        c = covered.get(key, {})
        hours = round(c["duration"].total_seconds() / 3600, 1) if c.get("duration") else 0.0
        n = c.get("covered", 0)
        result.append([t["team_type__category__name"], t["teams"], n, _rate(n, t["teams"]), hours])
    return {
        "columns": [
            gettext("Category"),
            gettext("Active teams"),
            gettext("Teams with standby"),
            gettext("Coverage (%)"),
            gettext("Standby hours"),
        ],
        "rows": result,
    }


@section(
    "personnel_by_specialty",
    _("Personnel by specialty"),
    models=("members.Person", "members.Membership"),
    chart={**BAR, "values": [1]},
)
def personnel_by_specialty(prefix, period_start, period_end):
    from teams.querysets import current_memberships

    rows = (
        current_memberships(as_of(period_end))
        .filter(team_id__in=_teams(prefix, period_end).values("pk"))
        .values("person__specialty")
        .annotate(
            people=Count("person", distinct=True),
            fit=Count("person", distinct=True, filter=Q(person__physical_condition="fit")),
        )
        .order_by("-people", "person__specialty")
    )
    unnamed = gettext("(not given)")
    return {
        "columns": [gettext("Specialty"), gettext("People"), gettext("Fit for duty")],
        "rows": [[r["person__specialty"] or unnamed, r["people"], r["fit"]] for r in rows],
    }


@section(
    "qualifications",
    _("Personnel by qualification"),
    models=("members.Qualification", "members.Membership"),
    chart={**BAR, "values": [1]},
)
def qualifications(prefix, period_start, period_end):
    day = as_of(period_end)
    soon = day + datetime.timedelta(days=90)
    team_ids = _teams(prefix, period_end).values("pk")
    from teams.querysets import current_memberships

    people = current_memberships(day).filter(team_id__in=team_ids).values("person_id")
    rows = (
        _model("members.Qualification")
        .objects.filter(person_id__in=people, issued__lte=day)
        .filter(Q(expires__isnull=True) | Q(expires__gte=day))
        .values("kind_id", "kind__name", "kind__code")
        .annotate(
            holders=Count("person", distinct=True),
            expiring=Count("person", distinct=True, filter=Q(expires__lte=soon)),
        )
        .order_by("kind__code")
    )
    return {
        "columns": [gettext("Qualification"), gettext("Holders (valid)"), gettext("Expiring within 90 days")],
        "rows": [[r["kind__name"], r["holders"], r["expiring"]] for r in rows],
    }


@section(
    "member_units_by_sector",
    _("Member units by sector"),
    models=("mobilization.MemberUnit", "teams.Team"),
    chart={"type": "doughnut", "label": 0, "values": [1]},
)
def member_units_by_sector(prefix, period_start, period_end):
    from ..choices import SectorChoices

    member_unit = _model("mobilization.MemberUnit")
    units = {
        r["sector"]: r["n"]
        for r in member_unit.objects.filter(region__code__startswith=prefix)
        .values("sector")
        .annotate(n=Count("pk"))
        .order_by()
    }
    teams = {
        r["unit__sector"]: r["n"]
        for r in _teams(prefix, period_end).values("unit__sector").annotate(n=Count("pk")).order_by()
    }
    return {
        "columns": [gettext("Sector"), gettext("Member units"), gettext("Teams")],
        "rows": [
            [str(label), units.get(value, 0), teams.get(value, 0)]
            for value, label in SectorChoices.choices
            if units.get(value) or teams.get(value)
        ],
    }


@section(
    "member_unit_year_status",
    _("Member units through the year (plan, supervision, evaluation)"),
    models=("mobilization.MemberUnitYearStatus",),
    chart={**BAR, "values": [2, 3, 4], "stacked": True},
)
def member_unit_year_status(prefix, period_start, period_end):
    from .choices import YearPhaseChoices, YearStatusChoices

    units = _model("mobilization.MemberUnit").objects.filter(region__code__startswith=prefix).count()
    counts = {
        (r["phase"], r["status"]): r["n"]
        for r in _model("mobilization.MemberUnitYearStatus")
        .objects.filter(unit__region__code__startswith=prefix, year=period_end.year)
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


def _by_child_region(queryset, prefix, region_path, **aggregates):
    """Group `queryset` by the region one level below `prefix` (through `region_path`, a lookup
    to a Region foreign key) and name each group: [(name, {aggregate: value})]."""
    digits = _child_digits(prefix)
    rows = (
        queryset.annotate(child=Substr(f"{region_path}_id", 1, digits))
        .values("child")
        .annotate(**aggregates)
        .order_by("child")
    )
    names = _child_names(prefix, digits)
    return [(names.get(r["child"].ljust(12, "0"), r["child"]), r) for r in rows]


@section(
    "roster_changes_waiting",
    _("Roster changes waiting"),
    models=("members.RosterChange",),
    chart={**BAR, "values": [1]},
)
def roster_changes_waiting(prefix, period_start, period_end):
    day = as_of(period_end)
    cutoff = _end_of_day(day)
    # Waiting on the as-of date: made by then and not decided by then (pending, or decided later).
    waiting = (
        _model("members.RosterChange")
        .objects.filter(unit__region__code__startswith=prefix, created__lt=cutoff)
        .filter(Q(status="pending") | Q(decided_at__gte=cutoff))
    )
    rows = _by_child_region(waiting, prefix, "unit__region", waiting=Count("pk"), oldest=Min("created"))
    total = sum(r["waiting"] for _name, r in rows)
    return {
        "headline": [{"label": gettext("Roster changes waiting"), "value": total}],
        "columns": [gettext("Region"), gettext("Waiting"), gettext("Waiting longest (days)")],
        "rows": [[name, r["waiting"], (cutoff - r["oldest"]).days] for name, r in rows],
    }


# --- training: exercises, participation and grades ---------------------------------------------------


def _exercises(prefix, period_start, period_end):
    """Exercises held in the period (under way or completed: planned and cancelled ones were not
    held) organised in the subtree or joined by its teams."""
    return (
        _model("training.Exercise")
        .objects.filter(status__in=("under_way", "completed"))
        .filter(start_date__gte=period_start, start_date__lte=period_end)
        .filter(Q(office__region__code__startswith=prefix) | Q(teams__region__code__startswith=prefix))
    )


@section(
    "exercises",
    _("Exercises by level and kind, with participation and grades"),
    models=("training.Exercise", "training.Attendance", "training.Assessment"),
    chart={**BAR, "label": 1, "values": [2], "stacked": True},
)
def exercises(prefix, period_start, period_end):
    from training.choices import ExerciseKindChoices, ExerciseLevelChoices

    ids = _exercises(prefix, period_start, period_end).values("pk")
    held = {
        (r["level"], r["kind"]): r["n"]
        for r in _model("training.Exercise")
        .objects.filter(pk__in=ids)
        .values("level", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    # Participation and grades of the subtree's own teams at those exercises.
    mine = {"exercise_id__in": ids, "team__region__code__startswith": prefix}
    attendance = {
        (r["exercise__level"], r["exercise__kind"]): r
        for r in _model("training.Attendance")
        .objects.counted()
        .filter(**mine)
        .values("exercise__level", "exercise__kind")
        .annotate(
            expected=Count("pk", filter=~Q(status="excused")),
            present=Count("pk", filter=Q(status="present")),
        )
        .order_by()
    }
    grades = {
        (r["exercise__level"], r["exercise__kind"]): r
        for r in _model("training.Assessment")
        .objects.counted()
        .filter(**mine)
        .values("exercise__level", "exercise__kind")
        .annotate(
            assessed=Count("pk"),
            good=Count("pk", filter=Q(grade__in=("excellent", "good"))),
            excellent=Count("pk", filter=Q(grade="excellent")),
        )
        .order_by()
    }
    levels, kinds = _labels(ExerciseLevelChoices.choices), _labels(ExerciseKindChoices.choices)
    rows, totals = [], {"expected": 0, "present": 0, "assessed": 0, "good": 0, "excellent": 0}
    for level, kind in sorted(held, key=lambda k: (list(levels).index(k[0]), list(kinds).index(k[1]))):
        a, g = attendance.get((level, kind), {}), grades.get((level, kind), {})
        for name, source in (("expected", a), ("present", a), ("assessed", g), ("good", g), ("excellent", g)):
            totals[name] += source.get(name, 0)
        rows.append(
            [
                levels[level],
                kinds[kind],
                held[(level, kind)],
                _rate(a.get("present", 0), a.get("expected", 0)),
                _rate(g.get("good", 0), g.get("assessed", 0)),
                _rate(g.get("excellent", 0), g.get("assessed", 0)),
            ]
        )
    return {
        "note": gettext("Exercises under way or completed; planned and cancelled ones are not counted."),
        "headline": [
            {"label": gettext("Exercises"), "value": sum(held.values())},
            {"label": gettext("Participation rate"), "value": _percent(_rate(totals["present"], totals["expected"]))},
            {"label": gettext("Good or better"), "value": _percent(_rate(totals["good"], totals["assessed"]))},
        ],
        "columns": [
            gettext("Level"),
            gettext("Kind"),
            gettext("Exercises"),
            gettext("Participation rate (%)"),
            gettext("Good or better (%)"),
            gettext("Excellent (%)"),
        ],
        "rows": rows,
    }


# --- inspections: reports filed, rectification, potential data -----------------------------------------


@section(
    "inspections",
    _("Inspections filed and rectification"),
    models=("inspections.InspectionReport", "inspections.Rectification"),
    chart={**BAR, "values": [1, 4]},
)
def inspections(prefix, period_start, period_end):
    day = as_of(period_end)
    filed = _by_child_region(
        _model("inspections.InspectionReport")
        .objects.exclude(status="draft")
        .filter(facility__region__code__startswith=prefix)
        .filter(inspected_on__gte=period_start, inspected_on__lte=period_end),
        prefix,
        "facility__region",
        filed=Count("pk"),
        with_problems=Count("pk", filter=~Q(severity="none")),
    )
    orders = _model("inspections.Rectification").objects.filter(facility__region__code__startswith=prefix)
    # Due in the period: done on time if completed by the deadline.
    due = _by_child_region(
        orders.filter(deadline__gte=period_start, deadline__lte=period_end),
        prefix,
        "facility__region",
        due=Count("pk"),
        on_time=Count("pk", filter=Q(completed_on__isnull=False, completed_on__lte=F("deadline"))),
    )
    # Overdue on the as-of date: past the deadline and not completed by then (an order is always
    # issued before its deadline, so one past its deadline on that date had been issued by then).
    overdue = _by_child_region(
        orders.filter(deadline__lt=day).filter(Q(completed_on__isnull=True) | Q(completed_on__gt=day)),
        prefix,
        "facility__region",
        overdue=Count("pk"),
    )
    merged = {}
    for source in (filed, due, overdue):
        for name, r in source:
            merged.setdefault(name, {}).update(r)
    rows = [
        [
            name,
            r.get("filed", 0),
            r.get("with_problems", 0),
            r.get("due", 0),
            _rate(r.get("on_time", 0), r.get("due", 0)),
            r.get("overdue", 0),
        ]
        for name, r in merged.items()
    ]
    on_time = sum(r.get("on_time", 0) for r in merged.values())
    return {
        "headline": [
            {"label": gettext("Inspections filed"), "value": sum(r[1] for r in rows)},
            {"label": gettext("Rectified on time"), "value": _percent(_rate(on_time, sum(r[3] for r in rows)))},
            {"label": gettext("Rectifications overdue"), "value": sum(r[5] for r in rows)},
        ],
        "columns": [
            gettext("Region"),
            gettext("Inspections filed"),
            gettext("With problems"),
            gettext("Rectifications due"),
            gettext("On-time rate (%)"),
            gettext("Overdue"),
        ],
        "rows": rows,
    }


@section(
    "potential_data",
    _("Potential data: accuracy and freshness"),
    models=("inspections.VerificationLine",),
    chart={**BAR, "values": [3]},
)
def potential_data(prefix, period_start, period_end):
    day = as_of(period_end)
    names = _child_names(prefix, _child_digits(prefix))
    rows = (
        _model("inspections.VerificationLine")
        .objects.filter(verification__verified_on__lte=day)
        .accuracy_by_region(prefix.ljust(12, "0"), today=day, warehouses=_model("inspections.Facility").objects.all())
    )
    return {
        "columns": [
            gettext("Region"),
            gettext("Warehouses verified"),
            gettext("Lines checked"),
            gettext("Accuracy (%)"),
            gettext("Last verified"),
            gettext("Days since"),
            gettext("Days since stalest"),
            gettext("Never verified"),
        ],
        "rows": [
            [
                names.get(r["region"], r["region"]),
                r["warehouses"],
                r["lines"],
                r["accuracy"] or 0.0,
                r["last_verified"].isoformat() if r["last_verified"] else "",
                r["days_since_verified"],
                r["days_since_stalest"],
                r["unverified_warehouses"],
            ]
            for r in rows
        ],
    }
