"""The statistics sections this app declares: the communication test's response rates."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization.statistics.sections import _end_of_day, _start_of_day, section

from .models import Activation
from .selectors.comm_test import callout_test_figures

__all__ = ["callout_test_by_type"]


@section(
    "callout_test_by_type",
    _("Communication test: answers within the target, by team type"),
    models=("teams.PersonCall",),
    chart={"label": 0, "values": [3], "type": "bar"},
)
def callout_test_by_type(prefix, period_start, period_end):
    tests = Activation.objects.filter(
        is_test=True,
        region__code__startswith=prefix,
        ordered_at__gte=_start_of_day(period_start),
        ordered_at__lt=_end_of_day(period_end),
    )
    figures = callout_test_figures(activations=tests)
    target = figures["target"]
    rows = [
        [r["name"], r["called"], r["answered_within"], r["rate"], r["median_minutes"], r["met"]]
        for r in figures["team_type"]
    ]
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
        "rows": rows,
        "note": gettext("Target: %(rate)s%% within %(minutes)s minutes.") % target,
        "headline": [
            {"label": gettext("Test response rate"), "value": "—" if total["rate"] is None else f"{total['rate']}%"},
            {
                "label": gettext("Median response"),
                "value": "—" if total["median_minutes"] is None else f"{total['median_minutes']}′",
            },
        ],
    }
