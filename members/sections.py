"""The members app's statistics sections: personnel by specialty, qualifications held and
expiring, and roster changes waiting (registered with reporting's registry)."""

import datetime

from django.db.models import Count, Min, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reporting.sections import BAR, as_of, by_child_region, end_of_day, section
from teams.querysets import current_memberships
from teams.sections import teams_on

from .choices import PhysicalConditionChoices
from .models import Qualification, RosterChange

EXPIRING_DAYS = 90


@section("personnel_by_specialty", _("Personnel by specialty"), order=70, chart={**BAR, "values": [1]})
def personnel_by_specialty(prefix, period_start, period_end):
    fit = Q(person__physical_condition=PhysicalConditionChoices.FIT)
    rows = (
        current_memberships(as_of(period_end))
        .filter(team_id__in=teams_on(prefix, period_end).values("pk"))
        .values("person__specialty")
        .annotate(people=Count("person", distinct=True), fit=Count("person", distinct=True, filter=fit))
        .order_by("-people", "person__specialty")
    )
    unnamed = gettext("(not given)")
    return {
        "columns": [gettext("Specialty"), gettext("People"), gettext("Fit for duty")],
        "rows": [[r["person__specialty"] or unnamed, r["people"], r["fit"]] for r in rows],
    }


@section("qualifications", _("Personnel by qualification"), order=80, chart={**BAR, "values": [1]})
def qualifications(prefix, period_start, period_end):
    day = as_of(period_end)
    soon = day + datetime.timedelta(days=EXPIRING_DAYS)
    people = current_memberships(day).filter(team_id__in=teams_on(prefix, period_end).values("pk"))
    rows = (
        Qualification.objects.valid_on(day)
        .filter(person_id__in=people.values("person_id"))
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


@section("roster_changes_waiting", _("Roster changes waiting"), order=110, chart={**BAR, "values": [1]})
def roster_changes_waiting(prefix, period_start, period_end):
    cutoff = end_of_day(as_of(period_end))
    waiting = RosterChange.objects.filter(unit__region__code__startswith=prefix).waiting_at(cutoff)
    rows = by_child_region(waiting, prefix, "unit__region", waiting=Count("pk"), oldest=Min("created"))
    return {
        "headline": [{"label": gettext("Roster changes waiting"), "value": sum(r["waiting"] for _name, r in rows)}],
        "columns": [gettext("Region"), gettext("Waiting"), gettext("Waiting longest (days)")],
        "rows": [[name, r["waiting"], (cutoff - r["oldest"]).days] for name, r in rows],
    }
