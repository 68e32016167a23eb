"""Portal pages of the training app: the user's exercises, bulk attendance entry, the rates
against their targets, competition standings, and the per-unit report of a 9.18 alarm test drill."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from teams.models import Activation
from teams.selectors.comm_test import callout_test_figures

from . import selectors, services
from .choices import RateDimensionChoices
from .forms import AttendanceEntryForm
from .models import AlarmTestDrill, Attendance, Competition, Exercise


@login_required
@permission_required("training.view_exercise", raise_exception=True)
def exercises(request):
    rows = Exercise.objects.visible_to(request.user).select_related("office").with_attendance()
    page = Paginator(rows.order_by("-start_date", "pk"), 50).get_page(request.GET.get("page"))
    drills = AlarmTestDrill.objects.visible_to(request.user).select_related("region")[:10]
    competitions = []
    if request.user.has_perm("training.view_competition"):
        competitions = Competition.objects.visible_to(request.user).with_stage_count().select_related("office")[:10]
    context = {"page": page, "drills": drills, "competitions": competitions}
    return render(request, "portal/training/exercises.html", context)


@login_required
@permission_required("training.view_attendance", raise_exception=True)
def attendance(request, pk):
    """The attendance of one exercise; those who may record it enter everyone's status at once."""
    exercise = get_object_or_404(Exercise.objects.visible_to(request.user), pk=pk)
    can_record = request.user.has_perm("training.record_attendance")
    rows = list(
        Attendance.objects.visible_to(request.user)
        .filter(exercise=exercise)
        .select_related("person", "team")
        .order_by("team__name", "person__name")
    )
    form = AttendanceEntryForm(request.POST or None, rows=rows)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                count = services.attendance_record(exercise=exercise, entries=form.entries(), by=request.user)
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            else:
                messages.success(request, _("Attendance of %(n)s people recorded.") % {"n": count})
                return redirect("portal:training-attendance", pk=exercise.pk)
    context = {"exercise": exercise, "form": form, "can_record": can_record}
    return render(request, "portal/training/attendance.html", context)


@login_required
@permission_required("training.view_assessment", raise_exception=True)
def rates(request):
    by = request.GET.get("by") if request.GET.get("by") in RateDimensionChoices.values else RateDimensionChoices.TEAM
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    context = {
        "table": selectors.rates_table(user=request.user, by=by, year=year),
        "dimensions": RateDimensionChoices.choices,
        "by": by,
        "year": year or "",
    }
    return render(request, "portal/training/rates.html", context)


@login_required
@permission_required("training.view_alarmtestdrill", raise_exception=True)
def drill(request, pk):
    """A 9.18 alarm test: its time, teams and units, and after it who took part, per member unit."""
    drill = get_object_or_404(AlarmTestDrill.objects.visible_to(request.user).select_related("region"), pk=pk)
    context = {
        "drill": drill,
        "report": selectors.drill_report(drill=drill, user=request.user),
        "exercises": Exercise.objects.visible_to(request.user).filter(drill=drill),
    }
    tests = Activation.objects.visible_to(request.user).filter(is_test=True, exercise__drill=drill)
    if tests.exists():
        context["callout_test"] = callout_test_figures(activations=tests)
    return render(request, "portal/training/drill.html", context)


@login_required
@permission_required("training.view_competition", raise_exception=True)
def competition(request, pk):
    """A competition's standings, overall and stage by stage: the teams the user may see, ranked
    among all that took part (the same figures as the API's `standings`)."""
    competition = get_object_or_404(Competition.objects.visible_to(request.user).select_related("office"), pk=pk)
    context = {
        "competition": competition,
        **selectors.competition_standings(competition=competition, user=request.user),
    }
    return render(request, "portal/training/competition.html", context)
