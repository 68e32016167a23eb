from rest_framework import serializers

from mobilization.api.base import BaseModelSerializer

from ..models import (
    ActionPlan,
    CadreAttendance,
    CadreSession,
    CommandPosition,
    CommandPost,
    DutyShift,
    JointRecord,
    JointTask,
    JointTaskAssignment,
    JointTaskEvidence,
    LogEntry,
    MilitaryRequest,
    Official,
    PlanRequirement,
    PlanRevisionItem,
    RequestAttachment,
    RequestStage,
    SessionMaterial,
)

FILES_HELP = "Photos (JPEG, PNG, WebP) and videos (MP4, MOV, WebM), sent as multipart form data."


def _files_field():
    return serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), write_only=True, required=False, help_text=FILES_HELP
    )


def _simple(model_class, field_names, read_only=()):
    meta = type("Meta", (), {"model": model_class, "fields": ["id", "url", "display", *field_names]})
    if read_only:
        meta.read_only_fields = list(read_only)
    return type(f"{model_class.__name__}Serializer", (BaseModelSerializer,), {"Meta": meta})


FILE_FIELDS = ["id", "url", "display", "kind", "content_type", "size", "uploaded_by", "created"]


class RequestAttachmentSerializer(BaseModelSerializer):
    class Meta:
        model = RequestAttachment
        fields = [*FILE_FIELDS, "stage"]
        read_only_fields = fields


class JointTaskEvidenceSerializer(BaseModelSerializer):
    class Meta:
        model = JointTaskEvidence
        fields = [*FILE_FIELDS, "assignment"]
        read_only_fields = fields


class SessionMaterialSerializer(BaseModelSerializer):
    class Meta:
        model = SessionMaterial
        fields = [*FILE_FIELDS, "session", "title"]
        read_only_fields = fields


class RequestStageSerializer(BaseModelSerializer):
    class Meta:
        model = RequestStage
        fields = [
            "id",
            "url",
            "display",
            "request",
            "stage",
            "owner",
            "deadline",
            "notes",
            "completed_at",
            "completed_by",
            "escalation_level",
        ]
        read_only_fields = ["request", "stage", "completed_at", "completed_by", "escalation_level"]


class MilitaryRequestSerializer(BaseModelSerializer):
    class Meta:
        model = MilitaryRequest
        fields = [
            "id",
            "url",
            "display",
            "region",
            "title",
            "description",
            "needed_by",
            "raised_by",
            "stage",
            "closed_at",
            "teams",
            "stocks",
            "facilities",
            "created",
        ]
        read_only_fields = ["raised_by", "stage", "closed_at", "created"]


class AdvanceSerializer(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    files = _files_field()


OfficialSerializer = _simple(Official, ["region", "name", "post_title", "organisation"])
CommandPostSerializer = _simple(
    CommandPost, ["region", "name", "activation", "exercise", "location", "opened_at", "closed_at"]
)
CommandPositionSerializer = _simple(CommandPosition, ["post", "position", "official", "duties"])
DutyShiftSerializer = _simple(DutyShift, ["post", "official", "start", "end"])


class LogEntrySerializer(BaseModelSerializer):
    class Meta:
        model = LogEntry
        fields = ["id", "url", "display", "post", "kind", "text", "author", "at", "corrects"]
        read_only_fields = ["author", "at"]


class LogVerifySerializer(serializers.Serializer):
    file = serializers.FileField()
    signature = serializers.CharField()


ActionPlanSerializer = _simple(
    ActionPlan,
    ["region", "scenario", "title", "version", "status", "summary", "approved_by", "approved_at", "tested_by"],
    read_only=["status", "approved_by", "approved_at"],
)
PlanRequirementSerializer = _simple(
    PlanRequirement,
    [
        "plan",
        "team_type",
        "team",
        "stock",
        "facility",
        "min_ready_teams",
        "min_headcount",
        "require_ready",
        "min_quantity",
        "note",
    ],
)
PlanRevisionItemSerializer = _simple(PlanRevisionItem, ["plan", "exercise", "finding", "owner", "deadline", "done"])
JointTaskSerializer = _simple(
    JointTask,
    [
        "region",
        "title",
        "description",
        "deadline",
        "office_owner",
        "military_owner",
        "status",
        "office_signed_by",
        "office_signed_at",
        "military_signed_by",
        "military_signed_at",
    ],
    read_only=["status", "office_signed_by", "office_signed_at", "military_signed_by", "military_signed_at"],
)
JointTaskAssignmentSerializer = _simple(
    JointTaskAssignment,
    ["task", "district", "status", "claimed_by", "claimed_at", "report", "reported_at"],
    read_only=["status", "claimed_by", "claimed_at", "report", "reported_at"],
)


class ReportSerializer(serializers.Serializer):
    report = serializers.CharField()
    files = _files_field()


CadreSessionSerializer = _simple(CadreSession, ["region", "kind", "title", "held_on", "exercise", "plan"])
CadreAttendanceSerializer = _simple(CadreAttendance, ["session", "official", "present", "score", "note"])


class GapSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(source="requirement.pk")
    target = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class SplitSerializer(serializers.Serializer):
    districts = serializers.ListField(child=serializers.CharField(max_length=12), allow_empty=False)

    def validate_districts(self, codes):
        from mobilization.models import Region

        user = self.context["request"].user
        found = list(Region.objects.visible_to(user).filter(code__in=codes))
        if len(found) != len(set(codes)):
            raise serializers.ValidationError("Unknown region code.")
        return found


class MaterialFilesSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="")
    files = _files_field()


JointRecordSerializer = _simple(
    JointRecord,
    [
        "region",
        "kind",
        "task",
        "subject",
        "findings",
        "held_on",
        "office_signed_by",
        "office_signed_at",
        "military_signed_by",
        "military_signed_at",
    ],
    read_only=["office_signed_by", "office_signed_at", "military_signed_by", "military_signed_at"],
)
