from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mobilization.api.base import BaseModelSerializer

from ..checklists import checklist_for
from ..models import (
    EvaluationFollowUp,
    Facility,
    FollowUpEvidence,
    InspectionCycle,
    InspectionMedia,
    InspectionReport,
    MaterialStock,
    PotentialVerification,
    Rectification,
    RectificationEvidence,
    TeamEvaluation,
    VerificationLine,
)

__all__ = [
    "AccuracySerializer",
    "EvaluationFollowUpSerializer",
    "FacilitySerializer",
    "FilesSerializer",
    "FollowUpDoneSerializer",
    "FollowUpEvidenceSerializer",
    "CoverageSerializer",
    "DueSerializer",
    "InspectionCycleSerializer",
    "InspectionMediaSerializer",
    "InspectionReportSerializer",
    "MaterialStockSerializer",
    "PotentialVerificationSerializer",
    "RectificationCompleteSerializer",
    "RectificationEvidenceSerializer",
    "RectificationReopenSerializer",
    "RectificationSerializer",
    "ReviewSerializer",
    "TeamEvaluationSerializer",
    "VerificationLineSerializer",
]

FILES_HELP = _("Photos (JPEG, PNG, WebP) and videos (MP4, MOV, WebM), sent as multipart form data.")


def _files_field():
    return serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), write_only=True, required=False, help_text=FILES_HELP
    )


class _ChecklistItem(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class FacilitySerializer(BaseModelSerializer):
    checklist = serializers.SerializerMethodField()

    class Meta:
        model = Facility
        fields = [
            "id",
            "url",
            "display",
            "kind",
            "name",
            "address",
            "region",
            "latitude",
            "longitude",
            "responsible_party",
            "responsible_contact",
            "responsible_phone",
            "status",
            "notes",
            "checklist",
        ]
        masked_phones = ("responsible_phone",)

    @extend_schema_field(_ChecklistItem(many=True))
    def get_checklist(self, obj):
        return [{"key": key, "label": str(label)} for key, label in checklist_for(obj.kind)]


class _MediaSerializer(BaseModelSerializer):
    download = serializers.SerializerMethodField()
    download_route = None

    def get_download(self, obj) -> str:
        request = self.context.get("request")
        url = reverse(self.download_route, args=[obj.pk])
        return request.build_absolute_uri(url) if request else url


class InspectionMediaSerializer(_MediaSerializer):
    download_route = "api:inspectionmedia-download"

    class Meta:
        model = InspectionMedia
        fields = ["id", "url", "display", "report", "kind", "content_type", "size", "created", "download"]


class RectificationEvidenceSerializer(_MediaSerializer):
    download_route = "api:rectificationevidence-download"

    class Meta:
        model = RectificationEvidence
        fields = ["id", "url", "display", "rectification", "kind", "content_type", "size", "created", "download"]


class _BriefMedia(_MediaSerializer):
    download_route = "api:inspectionmedia-download"

    class Meta:
        model = InspectionMedia
        fields = ["id", "kind", "content_type", "size", "download"]


class _BriefEvidence(_MediaSerializer):
    download_route = "api:rectificationevidence-download"

    class Meta:
        model = RectificationEvidence
        fields = ["id", "kind", "content_type", "size", "download"]


class InspectionReportSerializer(BaseModelSerializer):
    """A report; create it as JSON or as multipart with `files` (and `checklist` as a JSON string).
    `submit: true` submits at once, otherwise it stays a draft."""

    media = _BriefMedia(many=True, read_only=True)
    files = _files_field()
    submit = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = InspectionReport
        fields = [
            "id",
            "url",
            "display",
            "facility",
            "inspector",
            "status",
            "inspected_on",
            "checklist",
            "findings",
            "severity",
            "submitted_at",
            "filed_latitude",
            "filed_longitude",
            "filed_accuracy_m",
            "distance_m",
            "filed_far_away",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "media",
            "files",
            "submit",
        ]
        read_only_fields = [
            "inspector",
            "status",
            "submitted_at",
            "distance_m",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        ]

    filed_far_away = serializers.BooleanField(
        read_only=True, help_text=_("Filed farther from the facility than INSPECTION_MAX_DISTANCE_M")
    )

    def validate(self, attrs):
        # The model's clean() needs the whole report; the service runs full_clean() on it.
        return attrs


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FilesSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), help_text=FILES_HELP)


class RectificationSerializer(BaseModelSerializer):
    evidence = _BriefEvidence(many=True, read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "url",
            "display",
            "report",
            "facility",
            "responsible_party",
            "requirement",
            "deadline",
            "status",
            "issued_by",
            "completed_on",
            "completion_note",
            "verified_by",
            "verified_on",
            "verification_note",
            "round",
            "escalation_level",
            "evidence",
            "created",
        ]
        read_only_fields = [
            "responsible_party",
            "status",
            "issued_by",
            "completed_on",
            "completion_note",
            "verified_by",
            "verified_on",
            "verification_note",
            "round",
            "escalation_level",
        ]
        extra_kwargs = {"facility": {"required": False}}

    def validate(self, attrs):
        if self.instance is None and not attrs.get("report") and not attrs.get("facility"):
            raise serializers.ValidationError({"report": [_("Name the report (or the facility) the order is about.")]})
        return super().validate(attrs)


class RectificationCompleteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list, help_text=FILES_HELP
    )


class RectificationReopenSerializer(serializers.Serializer):
    deadline = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class _BriefFollowUp(serializers.ModelSerializer):
    class Meta:
        model = EvaluationFollowUp
        fields = ["id", "item", "owner", "deadline", "done"]


class TeamEvaluationSerializer(BaseModelSerializer):
    follow_ups = _BriefFollowUp(many=True, read_only=True)

    class Meta:
        model = TeamEvaluation
        fields = [
            "id",
            "url",
            "display",
            "team",
            "year",
            "period",
            "evaluated_on",
            "personnel_score",
            "structure_score",
            "equipment_score",
            "response_score",
            "readiness_score",
            "total",
            "grade",
            "findings",
            "evaluated_by",
            "follow_ups",
        ]
        read_only_fields = ["total", "grade", "evaluated_by"]


class FollowUpEvidenceSerializer(_MediaSerializer):
    download_route = "api:followupevidence-download"

    class Meta:
        model = FollowUpEvidence
        fields = ["id", "url", "display", "follow_up", "kind", "content_type", "size", "created", "download"]


class _BriefFollowUpEvidence(_MediaSerializer):
    download_route = "api:followupevidence-download"

    class Meta:
        model = FollowUpEvidence
        fields = ["id", "kind", "content_type", "size", "download"]


class EvaluationFollowUpSerializer(BaseModelSerializer):
    evidence = _BriefFollowUpEvidence(many=True, read_only=True)

    class Meta:
        model = EvaluationFollowUp
        fields = [
            "id",
            "url",
            "display",
            "evaluation",
            "item",
            "owner",
            "deadline",
            "done",
            "done_on",
            "done_note",
            "reported_by",
            "escalation_level",
            "evidence",
        ]
        read_only_fields = ["done_on", "done_note", "reported_by", "escalation_level"]


class FollowUpDoneSerializer(serializers.Serializer):
    note = serializers.CharField(help_text=_("What was done"))
    done_on = serializers.DateField(required=False, allow_null=True, default=None)
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list, help_text=FILES_HELP
    )


class MaterialStockSerializer(BaseModelSerializer):
    class Meta:
        model = MaterialStock
        fields = ["id", "url", "display", "facility", "material_type", "quantity", "unit"]


class VerificationLineSerializer(BaseModelSerializer):
    class Meta:
        model = VerificationLine
        fields = [
            "id",
            "url",
            "display",
            "verification",
            "stock",
            "declared_type",
            "declared_quantity",
            "verified_type",
            "verified_quantity",
            "type_matches",
            "quantity_matches",
            "matches",
            "note",
        ]


class _FoundLine(serializers.Serializer):
    stock = serializers.PrimaryKeyRelatedField(queryset=MaterialStock.objects.all())
    verified_type = serializers.CharField(required=False, allow_blank=True, max_length=100)
    verified_quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class _BriefLine(serializers.ModelSerializer):
    class Meta:
        model = VerificationLine
        fields = ["id", "stock", "declared_type", "declared_quantity", "verified_type", "verified_quantity", "matches"]


class PotentialVerificationSerializer(BaseModelSerializer):
    """An on-site verification. On creation, `found` gives the figures found for every declared
    stock line of the warehouse (a line left out is refused: it was not counted); `verified_type`
    left blank means the declared type. The warehouse cannot be changed afterwards."""

    lines = _BriefLine(many=True, read_only=True)
    found = _FoundLine(many=True, write_only=True, required=False)

    class Meta:
        model = PotentialVerification
        fields = [
            "id",
            "url",
            "display",
            "facility",
            "verified_on",
            "verified_by",
            "location_matches",
            "types_match",
            "quantities_match",
            "discrepancies",
            "lines",
            "found",
        ]
        read_only_fields = ["verified_by", "types_match", "quantities_match"]

    def validate(self, attrs):
        found = attrs.pop("found", None)
        attrs = super().validate(attrs)
        if found is not None:
            attrs["found"] = found
        return attrs


class AccuracySerializer(serializers.Serializer):
    region = serializers.CharField()
    region_name = serializers.CharField()
    lines = serializers.IntegerField()
    matching = serializers.IntegerField()
    accuracy = serializers.FloatField(allow_null=True)
    warehouses = serializers.IntegerField()
    last_verified = serializers.DateField(allow_null=True)
    days_since_verified = serializers.IntegerField(allow_null=True)
    stalest_verified = serializers.DateField(
        allow_null=True, help_text=_("The oldest of the warehouses' latest verifications")
    )
    days_since_stalest = serializers.IntegerField(allow_null=True)
    location_mismatches = serializers.IntegerField(
        help_text=_("Warehouses whose latest verification found them elsewhere than the record says")
    )
    unverified_warehouses = serializers.IntegerField(help_text=_("Reserve warehouses never verified"))


class InspectionCycleSerializer(BaseModelSerializer):
    class Meta:
        model = InspectionCycle
        fields = ["id", "url", "display", "kind", "region", "months", "remind_days"]


class DueSerializer(serializers.Serializer):
    facility = serializers.IntegerField(source="facility_id")
    name = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.CharField(source="region_id")
    months = serializers.IntegerField(help_text=_("The cycle in months"))
    cycle_start = serializers.DateField()
    cycle_end = serializers.DateField()
    last_inspected = serializers.DateField(allow_null=True)
    covered = serializers.BooleanField(help_text=_("Inspected in the current cycle"))
    overdue = serializers.BooleanField(help_text=_("Not inspected in the previous cycle nor since"))
    due_on = serializers.DateField(help_text=_("The next due date (the missed one, when overdue)"))
    days_overdue = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    region = serializers.CharField(allow_null=True, help_text=_("None on the total row"))
    region_name = serializers.CharField(allow_null=True)
    facilities = serializers.IntegerField()
    covered = serializers.IntegerField()
    coverage = serializers.FloatField(allow_null=True, help_text=_("Per cent inspected in the current cycle"))
    due = serializers.IntegerField()
    overdue = serializers.IntegerField()
