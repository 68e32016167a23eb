from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from mobilization.api.base import BaseViewSet
from mobilization.querysets import user_profile

from .. import cycles, filtersets, services
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
from ..views import media_response
from . import serializers as s

PARSERS = [JSONParser, MultiPartParser, FormParser]
READ_ONLY = ["get", "head", "options"]


def _region_param(request):
    profile = user_profile(request.user)
    code = request.query_params.get("region") or (profile.region_id if profile else "370000000000")
    code = code.ljust(12, "0")[:12]
    if not code.isdigit():
        raise ValidationError({"region": [_("A 12-digit region code.")]})
    return code


class FacilityViewSet(BaseViewSet):
    """Facilities; `schedule` lists each one's place in its inspection cycle (due, overdue) and
    `coverage` the share inspected in the current cycle per region."""

    queryset = Facility.objects.all()
    serializer_class = s.FacilitySerializer
    filterset_class = filtersets.FacilityFilterSet

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=["due", "overdue", "covered"], description=_("Only these rows")),
        ],
        responses=s.DueSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def schedule(self, request):
        """Each visible facility (filtered as the list is) with its cycle, last inspection and next due date."""
        rows = cycles.schedule(self.filter_queryset(self.get_queryset()), timezone.localdate())
        state = request.query_params.get("state")
        if state == "due":
            rows = [r for r in rows if not r.covered and not r.overdue]
        elif state == "overdue":
            rows = [r for r in rows if r.overdue]
        elif state == "covered":
            rows = [r for r in rows if r.covered]
        return Response(s.DueSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description=_("Region code; default the user's own region")),
            OpenApiParameter("level", str, enum=list(cycles.LEVEL_DIGITS), description=_("Group by this level")),
        ],
        responses=s.CoverageSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def coverage(self, request):
        """Facilities, covered, coverage (%), due and overdue per region below `region`; the last row is the total."""
        code = _region_param(request)
        level = request.query_params.get("level")
        if level and level not in cycles.LEVEL_DIGITS:
            raise ValidationError({"level": [_("One of grid, township, county, city.")]})
        from mobilization.querysets import region_prefix

        visible = Facility.objects.visible_to(request.user).filter(region__code__startswith=region_prefix(code))
        rows = cycles.coverage(cycles.schedule(visible, timezone.localdate()), code, level)
        return Response(s.CoverageSerializer(rows, many=True).data)


class InspectionCycleViewSet(BaseViewSet):
    """How often facilities of a kind are inspected in a region's subtree (office staff set them;
    offices below and the grid read the cycles above them)."""

    queryset = InspectionCycle.objects.all()
    serializer_class = s.InspectionCycleSerializer
    filterset_class = filtersets.InspectionCycleFilterSet

    def create_object(self, serializer):
        serializer.instance = services.inspection_cycle_save(by=self.request.user, **serializer.validated_data)
        return serializer.instance

    def update_object(self, serializer):
        return services.inspection_cycle_save(
            by=self.request.user, cycle=serializer.instance, **serializer.validated_data
        )


class InspectionReportViewSet(BaseViewSet):
    """Inspection feedback forms. Inspectors reach only their own; a draft only its inspector sees
    until it is submitted. Workflow: `submit`, `review`;
    photos and videos by `POST .../media/` (multipart `files`) or with the create request."""

    queryset = InspectionReport.objects.all()
    serializer_class = s.InspectionReportSerializer
    filterset_class = filtersets.InspectionReportFilterSet
    parser_classes = PARSERS
    prefetch_related = ("media",)
    action_permissions = {
        "submit": ["inspections.change_inspectionreport"],
        "review": ["inspections.review_inspectionreport"],
        "media": ["inspections.add_inspectionmedia"],
    }

    def _save(self, serializer, report=None):
        data = dict(serializer.validated_data)
        current = {
            "facility": report.facility if report else None,
            "checklist": report.checklist if report else None,
            "findings": report.findings if report else "",
            "severity": report.severity if report else "none",
            "inspected_on": report.inspected_on if report else None,
        }
        fields = {key: data.get(key, default) for key, default in current.items()}
        position = None
        if data.get("filed_latitude") is not None and data.get("filed_longitude") is not None:
            position = (data["filed_latitude"], data["filed_longitude"], data.get("filed_accuracy_m"))
        serializer.instance = services.report_save(
            by=self.request.user,
            report=report,
            submit=data.get("submit", False),
            files=data.get("files", ()),
            position=position,
            **fields,
        )
        return serializer.instance

    def create_object(self, serializer):
        return self._save(serializer)

    def update_object(self, serializer):
        return self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.report_delete(report=instance, by=self.request.user)

    def _answer(self, report):
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=None, responses=s.InspectionReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.report_submit(report=self.get_object(), by=request.user))

    @extend_schema(request=s.ReviewSerializer, responses=s.InspectionReportSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        form = s.ReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(services.report_review(report=self.get_object(), by=request.user, **form.validated_data))

    @extend_schema(request={"multipart/form-data": s.FilesSerializer}, responses=s.InspectionMediaSerializer(many=True))
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def media(self, request, pk=None):
        """Upload photos and videos; with an `Idempotency-Key` header a repeat stores nothing more."""
        report = self.get_object()

        def upload():
            form = s.FilesSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            stored = services.report_add_media(report=report, files=form.validated_data["files"], by=request.user)
            data = s.InspectionMediaSerializer(stored, many=True, context=self.get_serializer_context()).data
            return Response(data, status=status.HTTP_201_CREATED)

        return self.idempotent(request, upload, many=True, serializer_class=s.InspectionMediaSerializer)


class _MediaViewSet(BaseViewSet):
    """Stored photos and videos: read-only here, added through their report or order; the file
    itself only through `download`, which answers 404 to anyone who may not see it."""

    http_method_names = READ_ONLY

    @extend_schema(responses={(200, "application/octet-stream"): bytes, (206, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return media_response(self.get_object(), request)


class InspectionMediaViewSet(_MediaViewSet):
    queryset = InspectionMedia.objects.all()
    serializer_class = s.InspectionMediaSerializer
    select_related = ("report__facility",)
    filterset_class = filtersets.InspectionMediaFilterSet


class RectificationEvidenceViewSet(_MediaViewSet):
    queryset = RectificationEvidence.objects.all()
    serializer_class = s.RectificationEvidenceSerializer
    select_related = ("rectification__facility",)
    filterset_class = filtersets.RectificationEvidenceFilterSet


class RectificationViewSet(BaseViewSet):
    """Rectification orders: issued by the workstation, then `complete` (multipart `files` of
    after photos), `verify` (closes) or `reopen` (new deadline). Orders are kept: no deletion."""

    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    queryset = Rectification.objects.all()
    serializer_class = s.RectificationSerializer
    filterset_class = filtersets.RectificationFilterSet
    parser_classes = PARSERS
    select_related = ("report__facility",)
    prefetch_related = ("evidence",)
    action_permissions = {
        "complete": ["inspections.change_rectification", "inspections.add_rectificationevidence"],
        "verify": ["inspections.change_rectification"],
        "reopen": ["inspections.change_rectification"],
    }

    def create_object(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.rectification_issue(
            by=self.request.user,
            report=data.get("report"),
            facility=data.get("facility"),
            requirement=data["requirement"],
            deadline=data["deadline"],
        )
        return serializer.instance

    def update_object(self, serializer):
        fields = {k: v for k, v in serializer.validated_data.items() if k in ("requirement", "deadline")}
        return services.rectification_update(order=serializer.instance, by=self.request.user, **fields)

    def _answer(self, order):
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(
        request={"multipart/form-data": s.RectificationCompleteSerializer}, responses=s.RectificationSerializer
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def complete(self, request, pk=None):
        order = self.get_object()
        form = s.RectificationCompleteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(services.rectification_complete(order=order, by=request.user, **form.validated_data))

    @extend_schema(request=s.ReviewSerializer, responses=s.RectificationSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        form = s.ReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(
            services.rectification_verify(order=self.get_object(), by=request.user, **form.validated_data)
        )

    @extend_schema(request=s.RectificationReopenSerializer, responses=s.RectificationSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        form = s.RectificationReopenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(
            services.rectification_reopen(order=self.get_object(), by=request.user, **form.validated_data)
        )


class TeamEvaluationViewSet(BaseViewSet):
    queryset = TeamEvaluation.objects.all()
    serializer_class = s.TeamEvaluationSerializer
    filterset_class = filtersets.TeamEvaluationFilterSet
    prefetch_related = ("follow_ups",)

    def create_object(self, serializer):
        return serializer.save(evaluated_by=self.request.user)


class EvaluationFollowUpViewSet(BaseViewSet):
    """Items an evaluation asks a team to put right; the unit reports each done with evidence by
    `POST .../report-done/` (multipart `note`, `files`)."""

    queryset = EvaluationFollowUp.objects.all()
    serializer_class = s.EvaluationFollowUpSerializer
    select_related = ("evaluation__team",)
    prefetch_related = ("evidence",)
    filterset_class = filtersets.EvaluationFollowUpFilterSet
    action_permissions = {"report_done": ["inspections.report_evaluationfollowup"]}

    @extend_schema(request={"multipart/form-data": s.FollowUpDoneSerializer}, responses=s.EvaluationFollowUpSerializer)
    @action(detail=True, methods=["post"], url_path="report-done", parser_classes=[MultiPartParser, FormParser])
    def report_done(self, request, pk=None):
        item = self.get_object()
        form = s.FollowUpDoneSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        done = services.follow_up_report_done(follow_up=item, by=request.user, **form.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=done.pk)).data)


class FollowUpEvidenceViewSet(_MediaViewSet):
    queryset = FollowUpEvidence.objects.all()
    serializer_class = s.FollowUpEvidenceSerializer
    select_related = ("follow_up__evaluation__team",)
    filterset_class = filtersets.FollowUpEvidenceFilterSet


class MaterialStockViewSet(BaseViewSet):
    queryset = MaterialStock.objects.all()
    serializer_class = s.MaterialStockSerializer
    filterset_class = filtersets.MaterialStockFilterSet


class PotentialVerificationViewSet(BaseViewSet):
    """On-site verifications of reserve warehouses; `accuracy` gives accuracy and freshness per region."""

    queryset = PotentialVerification.objects.all()
    serializer_class = s.PotentialVerificationSerializer
    filterset_class = filtersets.PotentialVerificationFilterSet
    prefetch_related = ("lines",)

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.potential_verification_record(
            facility=data["facility"],
            verified_on=data.get("verified_on"),
            by=self.request.user,
            location_matches=data.get("location_matches", True),
            discrepancies=data.get("discrepancies", ""),
            lines=data.get("found", ()),
        )
        return serializer.instance

    def update_object(self, serializer):
        fields = {
            k: v
            for k, v in serializer.validated_data.items()
            if k in ("facility", "verified_on", "location_matches", "discrepancies")
        }
        serializer.instance = services.potential_verification_update(
            verification=serializer.instance, by=self.request.user, **fields
        )
        return serializer.instance

    @extend_schema(
        parameters=[OpenApiParameter("region", str, description=_("Region code; default the user's own region"))],
        responses=s.AccuracySerializer(many=True),
    )
    # One row per child region, a bounded set: a plain list, neither paged nor filtered.
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def accuracy(self, request):
        """Accuracy (share of stock lines found as declared at each warehouse's latest verification; a
        line at a warehouse not where the record says does not match) and freshness (days since the
        last and since the stalest latest verification, and warehouses never verified) per child
        region of `region`."""
        profile = user_profile(request.user)
        code = request.query_params.get("region") or (profile.region_id if profile else "370000000000")
        code = code.ljust(12, "0")[:12]
        if not code.isdigit():
            raise ValidationError({"region": [_("A 12-digit region code.")]})
        rows = VerificationLine.objects.visible_to(request.user).accuracy_by_region(
            code, today=timezone.localdate(), warehouses=Facility.objects.visible_to(request.user)
        )
        return Response(s.AccuracySerializer(rows, many=True).data)


class VerificationLineViewSet(BaseViewSet):
    """Lines of verifications (read-only: they are recorded with their verification)."""

    http_method_names = READ_ONLY
    queryset = VerificationLine.objects.all()
    serializer_class = s.VerificationLineSerializer
    select_related = ("verification__facility",)
    filterset_class = filtersets.VerificationLineFilterSet
