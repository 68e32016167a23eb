"""The inspections app's statistics sections: inspections filed and rectification, and the
accuracy and freshness of mobilisation-potential data (registered with reporting's registry)."""

from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization.rates import rate, rate_display
from reporting.sections import BAR, as_of, by_child_region, child_digits, child_names, end_of_day, section

from . import cycles
from .models import Facility, InspectionReport, Rectification, VerificationLine
from .querysets import DONE_ON_TIME, HAS_PROBLEMS


@section(
    "inspections",
    _("Inspections filed and rectification"),
    order=130,
    chart={**BAR, "values": [1, 4], "right": [4]},  # a count and a rate: two axes
)
def inspections(prefix, period_start, period_end):
    day = as_of(period_end)
    reports = InspectionReport.objects.filter(facility__region__code__startswith=prefix)
    filed = by_child_region(
        reports.filed_between(period_start, period_end),
        prefix,
        "facility__region",
        filed=Count("pk"),
        with_problems=Count("pk", filter=HAS_PROBLEMS),
    )
    orders = Rectification.objects.filter(facility__region__code__startswith=prefix)
    due = by_child_region(
        orders.due_between(period_start, period_end),
        prefix,
        "facility__region",
        due=Count("pk"),
        on_time=Count("pk", filter=DONE_ON_TIME),
    )
    overdue = by_child_region(orders.overdue_on(day), prefix, "facility__region", overdue=Count("pk"))
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
            rate(r.get("on_time", 0), r.get("due", 0)),
            r.get("overdue", 0),
        ]
        for name, r in merged.items()
    ]
    done_on_time = sum(r.get("on_time", 0) for r in merged.values())
    return {
        "headline": [
            {"label": gettext("Inspections filed"), "value": sum(r[1] for r in rows)},
            {"label": gettext("Rectified on time"), "value": rate_display(rate(done_on_time, sum(r[3] for r in rows)))},
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


@section("potential_data", _("Potential data: accuracy and freshness"), order=140, chart={**BAR, "values": [3]})
def potential_data(prefix, period_start, period_end):
    day = as_of(period_end)
    names = child_names(prefix, child_digits(prefix))
    rows = VerificationLine.objects.filter(verification__verified_on__lte=day).accuracy_by_region(
        prefix.ljust(12, "0"), today=day, warehouses=Facility.objects.all()
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


@section("inspection_coverage", _("Inspection coverage of the current cycles"), order=135, chart={**BAR, "values": [3]})
def inspection_coverage(prefix, period_start, period_end):
    """Per child region, as of the period's end: facilities on a cycle, those inspected in their
    current cycle, coverage, due and overdue (inspections.cycles, the one formula)."""
    day = as_of(period_end)
    facilities = Facility.objects.filter(region__code__startswith=prefix, created__lt=end_of_day(day))
    rows = cycles.coverage(cycles.schedule(facilities, day), prefix.ljust(12, "0"))
    total = rows.pop()
    return {
        "headline": [
            {"label": gettext("Inspection coverage"), "value": rate_display(total["coverage"])},
            {"label": gettext("Overdue inspections"), "value": total["overdue"]},
        ],
        "columns": [
            gettext("Region"),
            gettext("Facilities"),
            gettext("Inspected this cycle"),
            gettext("Coverage (%)"),
            gettext("Due"),
            gettext("Overdue"),
        ],
        "rows": [
            [r["region_name"], r["facilities"], r["covered"], r["coverage"], r["due"], r["overdue"]] for r in rows
        ],
    }
