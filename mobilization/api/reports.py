"""The statistics API: `reports` (the reporting cycle), `snapshots` (scheduled figures and their
workbooks, "generate now" with its progress) and `unit-year-statuses` (each member unit's
place in the year's plan, supervision and evaluation)."""

import django_filters
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ..choices import AuditActionChoices
from ..filtersets import BaseFilterSet
from ..models import MemberUnitYearStatus, Region, StatisticsReport, StatisticsSnapshot
from ..services import audit_record
from ..statistics import services
from ..statistics.choices import SnapshotKindChoices
from .base import BaseModelSerializer, BaseViewSet
from .routers import Router

__all__ = ["urlpatterns"]


# --- serializers ----------------------------------------------------------------------------------------


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
        from rest_framework.reverse import reverse

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


# --- filtersets --------------------------------------------------------------------------------------------


class StatisticsReportFilterSet(BaseFilterSet):
    class Meta:
        model = StatisticsReport
        fields = ["office", "period_kind", "status"]


class StatisticsSnapshotFilterSet(BaseFilterSet):
    class Meta:
        model = StatisticsSnapshot
        fields = ["period_kind"]


class MemberUnitYearStatusFilterSet(BaseFilterSet):
    year = django_filters.NumberFilter()
    search_fields = ("unit__name",)

    class Meta:
        model = MemberUnitYearStatus
        fields = ["unit", "year", "phase", "status"]


# --- viewsets ------------------------------------------------------------------------------------------------


class StatisticsReportViewSet(BaseViewSet):
    """A district/county office prepares its report (POST), edits its remarks, submits it; the city
    office approves or returns it. An approved report is locked: edits and deletion are refused."""

    queryset = StatisticsReport.objects.all()
    serializer_class = StatisticsReportSerializer
    filterset_class = StatisticsReportFilterSet
    select_related = ("office__region", "submitted_by", "decided_by")
    action_permissions = {
        "submit": ["mobilization.change_statisticsreport"],
        "approve": ["mobilization.change_statisticsreport"],
        "return_report": ["mobilization.change_statisticsreport"],
    }

    def create_object(self, serializer):
        data = serializer.validated_data
        return services.report_prepare(
            office=data["office"],
            period_kind=data["period_kind"],
            period_start=data["period_start"],
            remarks=data.get("remarks", ""),
            by=self.request.user,
        )

    def update_object(self, serializer):
        report = serializer.instance
        remarks = serializer.validated_data.get("remarks", report.remarks)
        return services.report_update(report=report, remarks=remarks, by=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            report = self.ensure_visible(self.create_object(serializer))
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            report = self.ensure_visible(self.update_object(serializer))
        return Response(self.get_serializer(report).data)

    def perform_destroy(self, instance):
        services.report_delete(report=instance, by=self.request.user)

    def _answer(self, report):
        return Response(self.get_serializer(report).data)

    @extend_schema(request=ReportSubmitSerializer, responses=StatisticsReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        body = ReportSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.report_submit(
                report=self.get_object(), by=request.user, remarks=body.validated_data.get("remarks")
            )
        )

    @extend_schema(request=None, responses=StatisticsReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.report_approve(report=self.get_object(), by=request.user))

    @extend_schema(request=ReportReturnSerializer, responses=StatisticsReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        body = ReportReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.report_return(report=self.get_object(), by=request.user, reason=body.validated_data["reason"])
        )


class StatisticsSnapshotViewSet(BaseViewSet):
    """Snapshots are made by the schedule or by "generate now"; they are read and downloaded here."""

    http_method_names = ["get", "head", "options", "post"]
    queryset = StatisticsSnapshot.objects.all()
    serializer_class = StatisticsSnapshotSerializer
    filterset_class = StatisticsSnapshotFilterSet
    select_related = ("region",)
    action_permissions = {
        "generate": ["mobilization.add_statisticssnapshot"],
        "download": ["mobilization.view_statisticssnapshot"],
        "job": ["mobilization.view_statisticssnapshot"],
    }

    def create(self, request, *args, **kwargs):
        return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        snapshot = self.get_object()
        if not snapshot.workbook:
            raise Http404
        audit_record(
            action=AuditActionChoices.EXPORT,
            request=request,
            obj=snapshot,
            detail={"model": "mobilization.StatisticsSnapshot", "file": snapshot.workbook.name},
        )
        return FileResponse(
            snapshot.workbook.open("rb"),
            as_attachment=True,
            filename=f"statistics-{snapshot.region_id}-{snapshot.period_kind}-{snapshot.period_start:%Y%m%d}.xlsx",
        )

    @extend_schema(
        request=SnapshotGenerateSerializer,
        responses=inline_serializer(
            "SnapshotJob", {"job": serializers.CharField(), "progress": serializers.URLField()}
        ),
    )
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Enqueue a snapshot of a region in the user's scope; answers the job to poll."""
        body = SnapshotGenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        region = Region.objects.visible_to(request.user).filter(pk=body.validated_data["region"]).first()
        if region is None:
            raise serializers.ValidationError({"region": [_("No such region in your scope.")]})
        day = body.validated_data.get("date") or timezone.localdate()  # today in Beijing, not the server's zone
        start, _end = services.period_bounds(body.validated_data["kind"], day)
        job_id = services.job_start(
            user=request.user, region=region, kind=body.validated_data["kind"], period_start=start
        )
        from ..tasks import statistics_job_task

        transaction.on_commit(lambda: statistics_job_task.delay(job_id))
        from rest_framework.reverse import reverse

        progress = reverse("api:statisticssnapshot-job", kwargs={"job_id": job_id}, request=request)
        return Response({"job": job_id, "progress": progress}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses=inline_serializer(
            "SnapshotJobProgress",
            {
                "state": serializers.CharField(),
                "done": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "snapshot": serializers.IntegerField(allow_null=True),
                "error": serializers.CharField(),
            },
        )
    )
    @action(detail=False, methods=["get"], url_path=r"jobs/(?P<job_id>[0-9a-f]{32})")
    def job(self, request, job_id=None):
        state = services.job_progress(job_id)
        if state is None or state["user"] != request.user.pk:
            raise Http404
        return Response({k: state[k] for k in ("id", "state", "done", "total", "snapshot", "error", "kind", "region")})


class MemberUnitYearStatusViewSet(BaseViewSet):
    queryset = MemberUnitYearStatus.objects.all()
    serializer_class = MemberUnitYearStatusSerializer
    filterset_class = MemberUnitYearStatusFilterSet
    select_related = ("unit",)

    def create_object(self, serializer):
        data = serializer.validated_data
        return services.year_status_set(
            unit=data["unit"],
            year=data["year"],
            phase=data["phase"],
            status=data.get("status", "not_started"),
            note=data.get("note", ""),
            by=self.request.user,
        )


router = Router()
router.register("reports", StatisticsReportViewSet)
router.register("snapshots", StatisticsSnapshotViewSet)
router.register("unit-year-statuses", MemberUnitYearStatusViewSet)

urlpatterns = router.urls
