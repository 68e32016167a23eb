import django_filters
from django.utils.translation import gettext_lazy as _

from mobilization.filtersets import BaseFilterSet

from .models import (
    AlarmTestDrill,
    Assessment,
    Attendance,
    Competition,
    Exercise,
    GradeThresholds,
    PlanItem,
    TrainingPlan,
)

__all__ = [
    "AlarmTestDrillFilterSet",
    "AssessmentFilterSet",
    "AttendanceFilterSet",
    "CompetitionFilterSet",
    "ExerciseFilterSet",
    "GradeThresholdsFilterSet",
    "PlanItemFilterSet",
    "TrainingPlanFilterSet",
]


class GradeThresholdsFilterSet(BaseFilterSet):
    class Meta:
        model = GradeThresholds
        fields = ["year"]


class TrainingPlanFilterSet(BaseFilterSet):
    search_fields = ("title",)

    class Meta:
        model = TrainingPlan
        fields = ["office", "year", "status"]


class PlanItemFilterSet(BaseFilterSet):
    search_fields = ("subject",)

    class Meta:
        model = PlanItem
        fields = ["plan", "planned_month"]


class ExerciseFilterSet(BaseFilterSet):
    search_fields = ("title", "subject", "location")
    year = django_filters.NumberFilter(field_name="start_date", lookup_expr="year", label=_("Year"))
    team = django_filters.NumberFilter(field_name="teams", label=_("Team"))
    start_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label=_("Starts on or after"))
    start_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("Starts on or before"))

    class Meta:
        model = Exercise
        fields = ["level", "kind", "status", "office", "plan_item", "competition", "drill"]


class AttendanceFilterSet(BaseFilterSet):
    search_fields = ("person__name",)

    class Meta:
        model = Attendance
        fields = ["exercise", "person", "team", "status"]


class AssessmentFilterSet(BaseFilterSet):
    search_fields = ("team__name", "remarks")
    year = django_filters.NumberFilter(field_name="exercise__start_date", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Assessment
        fields = ["exercise", "team", "grade"]


class CompetitionFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Competition
        fields = ["year", "office"]


class AlarmTestDrillFilterSet(BaseFilterSet):
    search_fields = ("title",)

    class Meta:
        model = AlarmTestDrill
        fields = ["year"]
