"""The training app's statistics section: exercises held by level and kind, with participation
and grade rates (registered with reporting's registry).

Participation and grades are those of `Attendance.objects` and `Assessment.objects`
(training/querysets.py), the same methods the admin's rates page and the API's `rates` read,
so the same period and scope give the same numbers everywhere."""

from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization.rates import rate_display
from reporting.sections import BAR, section

from .choices import ExerciseKindChoices, ExerciseLevelChoices
from .models import Assessment, Attendance, Exercise

LEVEL_KIND = ("exercise__level", "exercise__kind")


@section(
    "exercises",
    _("Exercises by level and kind, with participation and grades"),
    order=120,
    chart={**BAR, "label": 1, "values": [2], "stacked": True},
)
def exercises(prefix, period_start, period_end):
    held = {
        (r["level"], r["kind"]): r["n"]
        for r in Exercise.objects.held_between(period_start, period_end)
        .involving(prefix)
        .values("level", "kind")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    # Participation and grades of the subtree's own teams at the exercises held in the period.
    attendance = Attendance.objects.counted().held_between(period_start, period_end).of_teams_in(prefix)
    assessments = Assessment.objects.counted().held_between(period_start, period_end).of_teams_in(prefix)
    participation = {
        (r[LEVEL_KIND[0]], r[LEVEL_KIND[1]]): r for r in attendance.values(*LEVEL_KIND).with_participation()
    }
    grades = {(r[LEVEL_KIND[0]], r[LEVEL_KIND[1]]): r for r in assessments.values(*LEVEL_KIND).with_grade_rates()}
    levels, kinds = list(ExerciseLevelChoices.values), list(ExerciseKindChoices.values)
    keys = sorted(
        held.keys() | participation.keys() | grades.keys(), key=lambda k: (levels.index(k[0]), kinds.index(k[1]))
    )
    rows = []
    for level, kind in keys:
        a, g = participation.get((level, kind), {}), grades.get((level, kind), {})
        rows.append(
            [
                str(ExerciseLevelChoices(level).label),
                str(ExerciseKindChoices(kind).label),
                held.get((level, kind), 0),
                a.get("participation_rate"),
                g.get("good_rate"),
                g.get("excellent_rate"),
            ]
        )
    totals = {**attendance.participation(), **assessments.grade_rates()}
    return {
        "note": gettext("Exercises under way or completed; planned and cancelled ones are not counted."),
        "headline": [
            {"label": gettext("Exercises"), "value": sum(held.values())},
            {"label": gettext("Participation rate"), "value": rate_display(totals["participation_rate"])},
            {"label": gettext("Good or better"), "value": rate_display(totals["good_rate"])},
            {"label": gettext("Excellent"), "value": rate_display(totals["excellent_rate"])},
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
