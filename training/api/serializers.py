from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from mobilization.api.base import BaseModelSerializer, BriefRelatedField

from ..choices import AttendanceStatusChoices, RateDimensionChoices
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
from ..services import RECORDABLE

__all__ = [
    "AlarmTestDrillSerializer",
    "AssessmentSerializer",
    "AttendanceBulkSerializer",
    "AttendanceSerializer",
    "CompetitionAdvanceSerializer",
    "CompetitionSerializer",
    "DrillReportSerializer",
    "ExerciseSerializer",
    "GradeThresholdsSerializer",
    "PlanItemSerializer",
    "RatesSerializer",
    "StandingsSerializer",
    "TrainingPlanSerializer",
]


class GradeThresholdsSerializer(BaseModelSerializer):
    class Meta:
        model = GradeThresholds
        fields = [
            "id", "url", "display", "year", "excellent_min", "good_min", "pass_min",
            "participation_target", "excellent_target",
        ]  # fmt: skip


class TrainingPlanSerializer(BaseModelSerializer):
    """A plan with its progress: items planned, and items held (an exercise of theirs completed)."""

    items_planned = serializers.SerializerMethodField()
    items_held = serializers.SerializerMethodField()

    class Meta:
        model = TrainingPlan
        fields = [
            "id", "url", "display", "office", "year", "title", "status", "approved_by", "approved_at", "notes",
            "items_planned", "items_held", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["status", "approved_by", "approved_at"]

    def get_items_planned(self, obj) -> int:
        return obj.items_planned if hasattr(obj, "items_planned") else obj.items.count()

    def get_items_held(self, obj) -> int:
        if hasattr(obj, "items_held"):
            return obj.items_held
        return type(obj).objects.with_progress().get(pk=obj.pk).items_held


class PlanItemSerializer(BaseModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["id", "url", "display", "plan", "subject", "team_types", "teams", "planned_month", "hours", "notes"]


class ExerciseSerializer(BaseModelSerializer):
    expected_count = serializers.SerializerMethodField(help_text=_("expected attendees, the excused left out"))
    present_count = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = [
            "id", "url", "display", "title", "level", "kind", "subject", "office", "start_date", "end_date",
            "location", "plan_item", "teams", "units", "status", "competition", "stage", "drill",
            "expected_count", "present_count", "created", "updated",
        ]  # fmt: skip

    def get_expected_count(self, obj) -> int | None:
        return getattr(obj, "expected_count", None)

    def get_present_count(self, obj) -> int | None:
        return getattr(obj, "present_count", None)


class AttendanceSerializer(BaseModelSerializer):
    class Meta:
        model = Attendance
        fields = [
            "id", "url", "display", "exercise", "person", "team", "status", "note", "recorded_by", "recorded_at",
        ]  # fmt: skip
        read_only_fields = ["recorded_by", "recorded_at"]


class _AttendanceEntry(serializers.Serializer):
    person = serializers.IntegerField()
    status = serializers.ChoiceField(choices=[(c, AttendanceStatusChoices(c).label) for c in RECORDABLE])
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AttendanceBulkSerializer(serializers.Serializer):
    entries = _AttendanceEntry(many=True, allow_empty=False)


class AssessmentSerializer(BaseModelSerializer):
    class Meta:
        model = Assessment
        fields = ["id", "url", "display", "exercise", "team", "score", "grade", "assessor", "remarks", "created"]
        read_only_fields = ["grade", "assessor"]


class CompetitionSerializer(BaseModelSerializer):
    stages = BriefRelatedField(many=True, read_only=True)

    class Meta:
        model = Competition
        fields = ["id", "url", "display", "name", "year", "office", "description", "stages"]


class CompetitionAdvanceSerializer(serializers.Serializer):
    stage = serializers.IntegerField(min_value=1)
    top = serializers.IntegerField(min_value=1)


class _StageStanding(serializers.Serializer):
    stage = serializers.IntegerField()
    exercise = serializers.IntegerField(source="exercise_id")
    team = serializers.IntegerField(source="team_id")
    team_name = serializers.CharField(source="team.name")
    score = serializers.DecimalField(max_digits=5, decimal_places=2)
    grade = serializers.CharField()
    rank = serializers.IntegerField(source="stage_rank")


class _OverallStanding(serializers.Serializer):
    team = serializers.IntegerField(source="team_id")
    team_name = serializers.CharField()
    stages = serializers.IntegerField(help_text=_("stages the team took part in"))
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    rank = serializers.IntegerField()


class StandingsSerializer(serializers.Serializer):
    stages = _StageStanding(many=True)
    overall = _OverallStanding(many=True)


class AlarmTestDrillSerializer(BaseModelSerializer):
    evacuation_drills = BriefRelatedField(many=True, read_only=True)

    class Meta:
        model = AlarmTestDrill
        fields = [
            "id", "url", "display", "region", "year", "title", "scheduled_at", "reminder_days", "teams", "units",
            "evacuation_drills", "notes", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["year"]


class _UnitPerson(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    team = serializers.CharField(source="team.name")
    exercise = serializers.CharField(source="exercise.title")
    status = serializers.CharField()


class _UnitReport(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    expected = serializers.IntegerField()
    present = serializers.IntegerField()
    excused = serializers.IntegerField()
    absent = serializers.IntegerField()
    participation_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    people = _UnitPerson(many=True)


class DrillReportSerializer(serializers.Serializer):
    """Who took part in the drill's exercises, per member unit."""

    drill = serializers.IntegerField()
    units = _UnitReport(many=True)


class _Rate(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    expected = serializers.IntegerField()
    present = serializers.IntegerField()
    participation_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    participation_met = serializers.BooleanField(allow_null=True)
    assessed = serializers.IntegerField()
    good_or_better = serializers.IntegerField()
    excellent = serializers.IntegerField()
    good_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    excellent_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    excellent_met = serializers.BooleanField(allow_null=True)


class _Targets(serializers.Serializer):
    participation = serializers.DecimalField(max_digits=5, decimal_places=2)
    excellent = serializers.DecimalField(max_digits=5, decimal_places=2)


class RatesSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=RateDimensionChoices.choices)
    year = serializers.IntegerField(allow_null=True)
    targets = _Targets()
    results = _Rate(many=True)
