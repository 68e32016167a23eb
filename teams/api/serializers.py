from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from members.models import QualificationKind
from mobilization.api.base import BaseModelSerializer, BriefRelatedField
from mobilization.models import Region

from ..models import (
    Activation,
    ActivationTeam,
    Equipment,
    EquipmentItem,
    PersonCall,
    PersonCallAnswer,
    StandbyDuty,
    Team,
    TeamCategory,
    TeamType,
    TypeEquipmentRequirement,
    TypeQualificationRequirement,
)

__all__ = [
    "AcknowledgeSerializer",
    "ActivationSerializer",
    "ActivationTeamSerializer",
    "EquipmentItemSerializer",
    "EquipmentSerializer",
    "ReadinessSerializer",
    "StandbyDutySerializer",
    "TeamCategorySerializer",
    "TeamSerializer",
    "TeamTypeSerializer",
    "TypeEquipmentRequirementSerializer",
    "TypeQualificationRequirementSerializer",
]


class CodeNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class TeamCategorySerializer(BaseModelSerializer):
    class Meta:
        model = TeamCategory
        fields = ["id", "url", "display", "code", "name", "order"]


class EquipmentItemSerializer(BaseModelSerializer):
    class Meta:
        model = EquipmentItem
        fields = ["id", "url", "display", "code", "name", "unit"]


class TypeQualificationRequirementSerializer(BaseModelSerializer):
    class Meta:
        model = TypeQualificationRequirement
        fields = ["id", "url", "display", "team_type", "kind", "min_share"]


class TypeEquipmentRequirementSerializer(BaseModelSerializer):
    class Meta:
        model = TypeEquipmentRequirement
        fields = ["id", "url", "display", "team_type", "item", "min_quantity"]


class _QualificationNeed(serializers.Serializer):
    kind = CodeNameSerializer()
    min_share = serializers.IntegerField()


class _EquipmentNeed(serializers.Serializer):
    item = CodeNameSerializer()
    min_quantity = serializers.IntegerField()


class TeamTypeSerializer(BaseModelSerializer):
    """A team type with its minimum capability (edited through the requirement resources)."""

    qualification_requirements = _QualificationNeed(many=True, read_only=True)
    equipment_requirements = _EquipmentNeed(many=True, read_only=True)

    class Meta:
        model = TeamType
        fields = [
            "id", "url", "display", "category", "code", "name", "min_headcount", "description",
            "qualification_requirements", "equipment_requirements",
        ]  # fmt: skip


class _QualificationCheck(serializers.Serializer):
    kind = CodeNameSerializer()
    required_share = serializers.IntegerField(help_text=_("per cent of current members"))
    holders = serializers.IntegerField()
    share = serializers.IntegerField()
    met = serializers.BooleanField()


class _EquipmentCheck(serializers.Serializer):
    item = CodeNameSerializer()
    required = serializers.IntegerField()
    serviceable = serializers.IntegerField()
    met = serializers.BooleanField()


class ReadinessSerializer(serializers.Serializer):
    """A team's live readiness against its type's minimum; `reasons` say why it is not ready."""

    ready = serializers.BooleanField()
    headcount = serializers.IntegerField()
    fit_headcount = serializers.IntegerField()
    available_headcount = serializers.IntegerField(help_text=_("current members not marked unavailable today"))
    authorised_strength = serializers.IntegerField()
    min_headcount = serializers.IntegerField()
    standby_now = serializers.BooleanField()
    standby_next_7_days = serializers.BooleanField()
    qualifications = _QualificationCheck(many=True)
    equipment = _EquipmentCheck(many=True)
    reasons = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())


class TeamSerializer(BaseModelSerializer):
    category = BriefRelatedField(source="team_type.category", read_only=True)
    readiness = ReadinessSerializer(read_only=True)

    class Meta:
        model = Team
        fields = [
            "id", "url", "display", "name", "team_type", "category", "level", "region", "unit",
            "authorised_strength", "established", "status", "duty_phone", "readiness", "created", "updated",
        ]  # fmt: skip


class EquipmentSerializer(BaseModelSerializer):
    class Meta:
        model = Equipment
        fields = ["id", "url", "display", "team", "item", "quantity", "unit", "condition", "last_checked"]
        extra_kwargs = {"unit": {"required": False}}


class StandbyDutySerializer(BaseModelSerializer):
    class Meta:
        model = StandbyDuty
        fields = ["id", "url", "display", "team", "start", "end", "officer_name", "officer_phone", "notes"]
        masked_phones = ("officer_phone",)


class CalloutSerializer(serializers.ModelSerializer):
    team = BriefRelatedField(read_only=True)

    class Meta:
        model = ActivationTeam
        fields = ["id", "team", "notified_at", "acknowledged_at", "assembled_headcount"]


class ActivationSerializer(BaseModelSerializer):
    """An activation order. `teams` is written once, when it is ordered; `callouts` tell who answered."""

    teams = BriefRelatedField(many=True, queryset=Team.objects.all())
    callouts = CalloutSerializer(many=True, read_only=True)

    class Meta:
        model = Activation
        fields = [
            "id", "url", "display", "title", "reason", "region", "ordered_by", "ordered_at", "status",
            "stood_down_at", "is_test", "remind_after_minutes", "escalate_after_minutes", "teams", "callouts",
        ]  # fmt: skip
        read_only_fields = ["ordered_by", "ordered_at", "status", "stood_down_at"]

    def validate_teams(self, value):
        if self.instance is not None:
            raise serializers.ValidationError(_("The teams of an activation are fixed when it is ordered."))
        if not value:
            raise serializers.ValidationError(_("An activation must call out at least one team."))
        return value


class ActivationTeamSerializer(BaseModelSerializer):
    class Meta:
        model = ActivationTeam
        fields = [
            "id", "url", "display", "activation", "team", "notified_at", "acknowledged_at", "assembled_headcount",
        ]  # fmt: skip
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer):
    team = BriefRelatedField(queryset=Team.objects.all())
    assembled_headcount = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class CalloutRequestSerializer(serializers.Serializer):
    """Whom to call out: people of these teams, of teams of these types, holding one of these
    qualifications, within this region (each optional; none: everyone in the activation's region)."""

    teams = BriefRelatedField(many=True, queryset=Team.objects.all(), required=False)
    team_types = BriefRelatedField(many=True, queryset=TeamType.objects.all(), required=False)
    qualifications = BriefRelatedField(many=True, queryset=QualificationKind.objects.all(), required=False)
    region = BriefRelatedField(queryset=Region.objects.all(), required=False, allow_null=True)


class PersonCallAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonCallAnswer
        fields = ["answer", "eta_minutes", "reason", "checkin", "at", "source"]


class PersonCallSerializer(BaseModelSerializer):
    """One called-out person with their latest answer and every answer given (read-only)."""

    sms_status = serializers.CharField(source="sms.status", default=None, read_only=True)
    answers = PersonCallAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = PersonCall
        fields = [
            "id", "url", "display", "activation", "person", "team", "notified_at", "sms_status", "answer",
            "eta_minutes", "reason", "answered_at", "arrived_at", "reminded_at", "escalated_at", "answers",
        ]  # fmt: skip
        read_only_fields = fields
