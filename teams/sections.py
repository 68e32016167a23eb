"""The teams app's statistics sections: teams, strength, readiness and standby of a region
subtree (registered with reporting's registry, which collects and renders them).

Every figure is read through `Team.objects` methods (teams/querysets.py) and every rate follows
`mobilization.rates`, so a figure reads the same here as wherever else it is shown."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization.choices import SectorChoices
from mobilization.models import MemberUnit
from mobilization.rates import rate, rate_display
from reporting.sections import BAR, as_of, child_digits, child_names, end_of_day, section, start_of_day

from .choices import TeamLevelChoices
from .models import Activation, Team
from .selectors.comm_test import callout_test_figures

CATEGORY = ("team_type__category_id", "team_type__category__name", "team_type__category__order")
BY_CATEGORY = ("team_type__category__order", "team_type__category_id")


def teams_on(prefix, period_end):
    """Teams of the subtree that exist at the period's end (or today, for a period still running)."""
    return Team.objects.in_region(prefix).existing_on(period_end)


@section(
    "teams_by_category",
    _("Teams by category"),
    order=10,
    chart={**BAR, "values": [1, 3], "right": [3]},  # tens of teams, thousands of people: two axes
)
def teams_by_category(prefix, period_start, period_end):
    teams = teams_on(prefix, period_end)
    heads = teams.headcount_by("team__team_type__category_id", as_of(period_end))
    rows = teams.strength_by(*CATEGORY).order_by(*BY_CATEGORY)
    return {
        "columns": [gettext("Category"), gettext("Teams"), gettext("Authorised strength"), gettext("Headcount")],
        "rows": [
            [r["team_type__category__name"], r["teams"], r["authorised"], heads.get(r["team_type__category_id"], 0)]
            for r in rows
        ],
    }


@section("teams_by_type", _("Teams by type"), order=20, chart={**BAR, "values": [2]})
def teams_by_type(prefix, period_start, period_end):
    teams = teams_on(prefix, period_end)
    heads = teams.headcount_by("team__team_type_id", as_of(period_end))
    rows = teams.strength_by(
        "team_type_id", "team_type__name", "team_type__category__name", "team_type__category__order"
    ).order_by("team_type__category__order", "team_type__name")
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
                r["authorised"],
                heads.get(r["team_type_id"], 0),
            ]
            for r in rows
        ],
    }


@section("teams_by_level", _("Teams by level"), order=30, chart={**BAR, "values": [1]})
def teams_by_level(prefix, period_start, period_end):
    teams = teams_on(prefix, period_end)
    rows = {r["level"]: r for r in teams.strength_by("level").order_by()}
    heads = teams.headcount_by("team__level", as_of(period_end))
    total, authorised = sum(r["teams"] for r in rows.values()), sum(r["authorised"] for r in rows.values())
    headcount = sum(heads.values())
    return {
        "headline": [
            {"label": gettext("Teams"), "value": total},
            {"label": gettext("Headcount"), "value": headcount},
            {"label": gettext("Strength rate"), "value": rate_display(rate(headcount, authorised))},
        ],
        "columns": [gettext("Level"), gettext("Teams"), gettext("Authorised strength"), gettext("Headcount")],
        "rows": [
            [str(label), rows[value]["teams"], rows[value]["authorised"], heads.get(value, 0)]
            for value, label in TeamLevelChoices.choices
            if value in rows
        ],
    }


@section("strength_by_region", _("Strength against authorised, by region"), order=40, chart={**BAR, "values": [2, 3]})
def strength_by_region(prefix, period_start, period_end):
    digits = child_digits(prefix)
    teams = teams_on(prefix, period_end)
    rows = teams.annotate(child=Substr("region_id", 1, digits)).strength_by("child").order_by("child")
    by_child = {}
    for code, n in teams.headcount_by("team__region_id", as_of(period_end)).items():
        by_child[code[:digits]] = by_child.get(code[:digits], 0) + n
    names = child_names(prefix, digits)
    result = []
    for r in rows:
        head = by_child.get(r["child"], 0)
        name = names.get(r["child"].ljust(12, "0"), r["child"])
        result.append([name, r["teams"], r["authorised"], head, rate(head, r["authorised"])])
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


@section("readiness", _("Readiness by category"), order=50, chart={**BAR, "values": [1, 2]})
def readiness(prefix, period_start, period_end):
    day = as_of(period_end)
    rows = list(
        teams_on(prefix, period_end)
        .active()
        .with_readiness(today=day, now=end_of_day(day) - datetime.timedelta(seconds=1))
        .values(*CATEGORY)
        .annotate(
            teams=Count("pk"),
            ready_teams=Count("pk", filter=Q(ready=True)),
            on_standby=Count("pk", filter=Q(standby_now=True)),
        )
        .order_by(*BY_CATEGORY)
    )
    active, ready = sum(r["teams"] for r in rows), sum(r["ready_teams"] for r in rows)
    return {
        "headline": [{"label": gettext("Readiness rate"), "value": rate_display(rate(ready, active))}],
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
                rate(r["ready_teams"], r["teams"]),
                r["on_standby"],
            ]
            for r in rows
        ],
    }


@section("standby_coverage", _("Standby coverage in the period"), order=60, chart={**BAR, "values": [3]})
def standby_coverage(prefix, period_start, period_end):
    # A period still running counts the duty served so far, not the duty rostered ahead.
    start = start_of_day(period_start)
    end = max(start, min(end_of_day(period_end), timezone.now()))
    teams = teams_on(prefix, period_end).active()
    totals = teams.values(*CATEGORY).annotate(teams=Count("pk")).order_by(*BY_CATEGORY)
    covered = teams.standby_by("team__team_type__category_id", start, end)
    result = []
    for t in totals:
        c = covered.get(t["team_type__category_id"], {})
        hours = round(c["duration"].total_seconds() / 3600, 1) if c.get("duration") else 0.0
        n = c.get("covered", 0)
        result.append([t["team_type__category__name"], t["teams"], n, rate(n, t["teams"]), hours])
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
    "member_units_by_sector",
    _("Member units by sector"),
    order=90,
    chart={"type": "doughnut", "label": 0, "values": [1]},
)
def member_units_by_sector(prefix, period_start, period_end):
    units = {
        r["sector"]: r["n"]
        for r in MemberUnit.objects.filter(region__code__startswith=prefix)
        .values("sector")
        .annotate(n=Count("pk"))
        .order_by()
    }
    teams = {r["unit__sector"]: r["teams"] for r in teams_on(prefix, period_end).strength_by("unit__sector").order_by()}
    return {
        "columns": [gettext("Sector"), gettext("Member units"), gettext("Teams")],
        "rows": [
            [str(label), units.get(value, 0), teams.get(value, 0)]
            for value, label in SectorChoices.choices
            if units.get(value) or teams.get(value)
        ],
    }


@section(
    "callout_test_by_type",
    _("Communication test: answers within the target, by team type"),
    order=95,
    chart={**BAR, "values": [3]},
)
def callout_test_by_type(prefix, period_start, period_end):
    """The test calls ordered in the period: per team type, who answered within the target window
    and how fast (the figures of `teams.selectors.comm_test`, the drill page's too)."""
    tests = Activation.objects.filter(
        is_test=True,
        region__code__startswith=prefix,
        ordered_at__gte=start_of_day(period_start),
        ordered_at__lt=end_of_day(period_end),
    )
    figures = callout_test_figures(activations=tests)
    total = figures["total"]
    return {
        "columns": [
            gettext("Team type"),
            gettext("Called"),
            gettext("Answered within the target"),
            gettext("Rate (%)"),
            gettext("Median response (minutes)"),
            gettext("Target met"),
        ],  # fmt: skip
        "rows": [
            [r["name"], r["called"], r["answered_within"], r["rate"], r["median_minutes"], r["met"]]
            for r in figures["team_type"]
        ],
        "note": gettext("Target: %(rate)s%% within %(minutes)s minutes.") % figures["target"],
        "headline": [
            {"label": gettext("Test response rate"), "value": "—" if total["rate"] is None else f"{total['rate']}%"},
            {
                "label": gettext("Median response"),
                "value": "—" if total["median_minutes"] is None else f"{total['median_minutes']}′",
            },
        ],
    }
