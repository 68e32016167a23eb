"""The statistics API: `reports` (the reporting cycle), `snapshots` (scheduled figures and their
workbooks, "generate now" with its progress) and `unit-year-statuses` (each member unit's
place in the year's plan, supervision and evaluation). Every step calls its service."""

from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from mobilization.api.base import BaseViewSet
from mobilization.models import Region

from .. import filtersets, services
from ..choices import YearStatusChoices
from ..models import MemberUnitYearStatus, StatisticsReport, StatisticsSnapshot
from ..periods import period_bounds
from ..tasks import statistics_job_task
from . import serializers as s

__all__ = ["MemberUnitYearStatusViewSet", "StatisticsReportViewSet", "StatisticsSnapshotViewSet"]


class StatisticsReportViewSet(BaseViewSet):
    """A district/county office prepares its report (POST), edits its remarks, submits it; the city
    office approves or returns it. An approved report is locked: edits and deletion are refused."""

    queryset = StatisticsReport.objects.all()
    serializer_class = s.StatisticsReportSerializer
    filterset_class = filtersets.StatisticsReportFilterSet
    select_related = ("office__region", "submitted_by", "decided_by")
    action_permissions = {
        "submit": ["reporting.change_statisticsreport"],
        "approve": ["reporting.change_statisticsreport"],
        "return_report": ["reporting.change_statisticsreport"],
    }

    def create_object(self, serializer):
        data = serializer.validated_data
        return services.statistics_report_prepare(
            office=data["office"],
            period_kind=data["period_kind"],
            period_start=data["period_start"],
            remarks=data.get("remarks", ""),
            by=self.request.user,
        )

    def update_object(self, serializer):
        report = serializer.instance
        remarks = serializer.validated_data.get("remarks", report.remarks)
        return services.statistics_report_update(report=report, remarks=remarks, by=self.request.user)

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
        services.statistics_report_delete(report=instance, by=self.request.user)

    def _answer(self, report):
        return Response(self.get_serializer(report).data)

    @extend_schema(request=s.ReportSubmitSerializer, responses=s.StatisticsReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        body = s.ReportSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.statistics_report_submit(
                report=self.get_object(), by=request.user, remarks=body.validated_data.get("remarks")
            )
        )

    @extend_schema(request=None, responses=s.StatisticsReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.statistics_report_approve(report=self.get_object(), by=request.user))

    @extend_schema(request=s.ReportReturnSerializer, responses=s.StatisticsReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        body = s.ReportReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.statistics_report_return(
                report=self.get_object(), by=request.user, reason=body.validated_data["reason"]
            )
        )


class StatisticsSnapshotViewSet(BaseViewSet):
    """Snapshots are made by the schedule or by "generate now"; they are read and downloaded here."""

    http_method_names = ["get", "head", "options", "post"]
    queryset = StatisticsSnapshot.objects.all()
    serializer_class = s.StatisticsSnapshotSerializer
    filterset_class = filtersets.StatisticsSnapshotFilterSet
    select_related = ("region",)
    action_permissions = {
        "generate": ["reporting.add_statisticssnapshot"],
        "download": ["reporting.view_statisticssnapshot"],
        "job": ["reporting.view_statisticssnapshot"],
    }

    def create(self, request, *args, **kwargs):
        return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        snapshot = self.get_object()
        if not snapshot.workbook:
            raise Http404
        return FileResponse(
            snapshot.workbook.open("rb"),
            as_attachment=True,
            filename=f"statistics-{snapshot.region_id}-{snapshot.period_kind}-{snapshot.period_start:%Y%m%d}.xlsx",
        )

    @extend_schema(
        request=s.SnapshotGenerateSerializer,
        responses=inline_serializer(
            "SnapshotJob", {"job": serializers.CharField(), "progress": serializers.URLField()}
        ),
    )
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Enqueue a snapshot of a region in the user's scope; answers the job to poll."""
        body = s.SnapshotGenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        region = Region.objects.visible_to(request.user).filter(pk=body.validated_data["region"]).first()
        if region is None:
            raise serializers.ValidationError({"region": [_("No such region in your scope.")]})
        day = body.validated_data.get("date") or timezone.localdate()  # today in Beijing, not the server's zone
        start, _end = period_bounds(body.validated_data["kind"], day)
        job_id = services.job_start(
            user=request.user, region=region, kind=body.validated_data["kind"], period_start=start
        )
        transaction.on_commit(lambda: statistics_job_task.delay(job_id))
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
    serializer_class = s.MemberUnitYearStatusSerializer
    filterset_class = filtersets.MemberUnitYearStatusFilterSet
    select_related = ("unit",)

    def create_object(self, serializer):
        data = serializer.validated_data
        return services.year_status_set(
            unit=data["unit"],
            year=data["year"],
            phase=data["phase"],
            status=data.get("status", YearStatusChoices.NOT_STARTED),
            note=data.get("note", ""),
            by=self.request.user,
        )
