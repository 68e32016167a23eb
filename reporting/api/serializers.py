"""Serializers of the statistics API: reports, snapshots and member units' year statuses, and
the bodies of the workflow actions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.reverse import reverse

from mobilization.api.base import BaseModelSerializer

from ..choices import SnapshotKindChoices
from ..models import MemberUnitYearStatus, StatisticsReport, StatisticsSnapshot

__all__ = [
    "MemberUnitYearStatusSerializer",
    "ReportReturnSerializer",
    "ReportSubmitSerializer",
    "SnapshotGenerateSerializer",
    "StatisticsReportSerializer",
    "StatisticsSnapshotSerializer",
]


class StatisticsReportSerializer(BaseModelSerializer):
    submitted_by = serializers.StringRelatedField(read_only=True)
    decided_by = serializers.StringRelatedField(read_only=True)
    locked = serializers.BooleanField(read_only=True)

    class Meta:
        model = StatisticsReport
        fields = [
            "id", "url", "display", "office", "period_kind", "period_start", "period_end", "status", "locked",
            "remarks", "figures", "figures_at", "submitted_by", "submitted_at", "decided_by", "decided_at",
            "return_reason", "created", "updated",
        ]  # fmt: skip
        read_only_fields = [
            "period_end", "status", "figures", "figures_at", "submitted_at", "decided_at", "return_reason",
            "created", "updated",
        ]  # fmt: skip

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # Office, kind and period name the report; once prepared only the remarks change.
            for name in ("office", "period_kind", "period_start"):
                fields[name].read_only = True
        return fields


class ReportSubmitSerializer(serializers.Serializer):
    remarks = serializers.CharField(required=False, allow_blank=True, label=_("remarks"))


class ReportReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("reason for return"))


class StatisticsSnapshotSerializer(BaseModelSerializer):
    region = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = StatisticsSnapshot
        fields = [
            "id", "url", "display", "region", "period_kind", "period_start", "period_end", "generated_at",
            "duration_ms", "download", "figures",
        ]  # fmt: skip
        read_only_fields = fields

    def get_region(self, obj) -> dict:
        return {"code": obj.region_id, "display": str(obj.region)}

    def get_download(self, obj) -> str | None:
        if not obj.workbook:
            return None
        return reverse("api:statisticssnapshot-download", args=[obj.pk], request=self.context.get("request"))


class SnapshotGenerateSerializer(serializers.Serializer):
    region = serializers.CharField(label=_("region"))
    kind = serializers.ChoiceField(choices=SnapshotKindChoices.choices, label=_("period kind"))
    date = serializers.DateField(required=False, label=_("a date in the period"))


class MemberUnitYearStatusSerializer(BaseModelSerializer):
    class Meta:
        model = MemberUnitYearStatus
        fields = ["id", "url", "display", "unit", "year", "phase", "status", "note", "updated"]
        read_only_fields = ["updated"]
