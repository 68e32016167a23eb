"""The training API: plans and their items, exercises with bulk attendance, assessments and their
rates, competitions with standings, and 9.18 alarm test drills with their per-unit report."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mobilization.api.base import BaseViewSet

from .. import filtersets, selectors, services
from ..choices import RateDimensionChoices
from ..models import (
    AlarmTestDrill,
    Assessment,
    Attendance,
    Competition,
    Exercise,
    GradeThresholds,
    PlanItem,
    TrainingPlan,
)
from . import serializers as s

__all__ = [
    "AlarmTestDrillViewSet",
    "AssessmentViewSet",
    "AttendanceViewSet",
    "CompetitionViewSet",
    "ExerciseViewSet",
    "GradeThresholdsViewSet",
    "PlanItemViewSet",
    "TrainingPlanViewSet",
]


class GradeThresholdsViewSet(BaseViewSet):
    """The score that starts each grade, and the rate targets, per year. Saving regrades that year's assessments;
    only a city (or higher) office changes them."""

    queryset = GradeThresholds.objects.all()
    serializer_class = s.GradeThresholdsSerializer
    filterset_class = filtersets.GradeThresholdsFilterSet

    def create_object(self, serializer):
        return services.grade_thresholds_save(
            thresholds=GradeThresholds(**serializer.validated_data), by=self.request.user
        )

    def update_object(self, serializer):
        for name, value in serializer.validated_data.items():
            setattr(serializer.instance, name, value)
        return services.grade_thresholds_save(thresholds=serializer.instance, by=self.request.user)

    def perform_destroy(self, instance):
        services.grade_thresholds_delete(thresholds=instance, by=self.request.user)


class TrainingPlanViewSet(BaseViewSet):
    """Annual training plans with their progress (items held against items planned); `approve` approves a draft."""

    queryset = TrainingPlan.objects.all()
    serializer_class = s.TrainingPlanSerializer
    filterset_class = filtersets.TrainingPlanFilterSet
    action_permissions = {"approve": ["training.approve_trainingplan"]}

    def get_queryset(self):
        return super().get_queryset().with_progress().order_by("-year", "office_id", "pk")

    @extend_schema(request=None, responses=s.TrainingPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = services.training_plan_approve(plan=self.get_object(), by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data)


class PlanItemViewSet(BaseViewSet):
    queryset = PlanItem.objects.all()
    serializer_class = s.PlanItemSerializer
    filterset_class = filtersets.PlanItemFilterSet


class ExerciseViewSet(BaseViewSet):
    """Exercises with their attendance counts. Saving one lists its expected attendees (the active
    members of its teams on its first day); `attendance` records attendance in bulk."""

    queryset = Exercise.objects.all()
    serializer_class = s.ExerciseSerializer
    filterset_class = filtersets.ExerciseFilterSet
    action_permissions = {"attendance": ["training.record_attendance"]}

    def get_queryset(self):
        return super().get_queryset().with_page_attendance().order_by("-start_date", "title", "pk")

    def create_object(self, serializer):
        exercise = serializer.save()
        services.exercise_expect_attendance(exercise=exercise)
        return exercise

    update_object = create_object

    @extend_schema(request=s.AttendanceBulkSerializer, responses=s.AttendanceSerializer(many=True))
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        exercise = self.get_object()
        form = s.AttendanceBulkSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.attendance_record(exercise=exercise, entries=form.validated_data["entries"], by=request.user)
        rows = (
            Attendance.objects.visible_to(request.user)
            .filter(exercise=exercise)
            .select_related("exercise", "person", "team", "recorded_by")
        )
        return Response(s.AttendanceSerializer(rows, many=True, context=self.get_serializer_context()).data)


class AttendanceViewSet(BaseViewSet):
    """Attendance per person per exercise (present, absent, excused). Rows for the expected come
    with the exercise; an office may add a stand-in."""

    queryset = Attendance.objects.all()
    serializer_class = s.AttendanceSerializer
    filterset_class = filtersets.AttendanceFilterSet

    def create_object(self, serializer):
        return services.attendance_save(attendance=Attendance(**serializer.validated_data), by=self.request.user)

    def update_object(self, serializer):
        for name, value in serializer.validated_data.items():
            setattr(serializer.instance, name, value)
        return services.attendance_save(attendance=serializer.instance, by=self.request.user)


class AssessmentViewSet(BaseViewSet):
    """Team assessments, graded by the year's thresholds. `rates` gives participation, good-or-better
    and excellent rates grouped by exercise, team, team type, member unit, region or year."""

    queryset = Assessment.objects.all()
    serializer_class = s.AssessmentSerializer
    filterset_class = filtersets.AssessmentFilterSet

    def create_object(self, serializer):
        return serializer.save(assessor=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("by", enum=RateDimensionChoices.values, default=RateDimensionChoices.TEAM),
            OpenApiParameter("year", int),
        ],
        responses=s.RatesSerializer,
    )
    @action(detail=False, methods=["get"])
    def rates(self, request):
        by = request.query_params.get("by", RateDimensionChoices.TEAM)
        if by not in RateDimensionChoices.values:
            raise ValidationError({"by": [_("Choose one of: %s") % ", ".join(RateDimensionChoices.values)]})
        year = request.query_params.get("year") or None
        if year is not None and not year.isdigit():
            raise ValidationError({"year": [_("A year is a number.")]})
        table = selectors.rates_table(user=request.user, by=by, year=int(year) if year else None)
        return Response(s.RatesSerializer(table).data)


class CompetitionViewSet(BaseViewSet):
    """Competitions: a series of exercises (stages). `standings` ranks the teams; `advance` sends the
    best of a stage on to the next."""

    queryset = Competition.objects.all()
    serializer_class = s.CompetitionSerializer
    filterset_class = filtersets.CompetitionFilterSet
    action_permissions = {"advance": ["training.change_competition"]}
    # Advancing changes the competition: only its organiser's scope may (not a district whose
    # team takes part in the city's competition).
    record_writes = (*BaseViewSet.record_writes, "advance")

    @extend_schema(responses=s.StandingsSerializer)
    @action(detail=True, methods=["get"])
    def standings(self, request, pk=None):
        data = selectors.competition_standings(competition=self.get_object(), user=request.user)
        return Response(s.StandingsSerializer(data).data)

    @extend_schema(request=s.CompetitionAdvanceSerializer, responses=s.CompetitionSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        competition = self.get_object()
        form = s.CompetitionAdvanceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.competition_advance(competition=competition, **form.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=competition.pk)).data)


class AlarmTestDrillViewSet(BaseViewSet):
    """The 9.18 air-raid alarm test of each region and year; `report` lists who took part, per member unit."""

    queryset = AlarmTestDrill.objects.all()
    serializer_class = s.AlarmTestDrillSerializer
    filterset_class = filtersets.AlarmTestDrillFilterSet

    @extend_schema(responses=s.DrillReportSerializer)
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        return Response(
            s.DrillReportSerializer(selectors.drill_report(drill=self.get_object(), user=request.user)).data
        )
