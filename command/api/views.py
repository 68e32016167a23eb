"""The command app's API: three-line viewsets on the scoped base, workflow steps as POST actions."""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from inspections.views import media_response
from mobilization.api.base import BaseViewSet

from .. import filtersets as f
from .. import services
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
from ..selectors import plan_gaps
from . import serializers as s

PARSERS = [JSONParser, MultiPartParser, FormParser]
READ_ONLY = ["get", "head", "options"]
# Kept records: created and changed, never deleted through the API.
NO_DELETE = ["get", "post", "patch", "put", "head", "options"]


class _Answering:
    def _answer(self, obj, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=code)


class _FileViewSet(BaseViewSet):
    """Stored files: read-only here, added through their parent; the file itself only through
    `download`, which answers 404 to anyone who may not see it."""

    http_method_names = READ_ONLY

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return media_response(self.get_object(), request)


class MilitaryRequestViewSet(_Answering, BaseViewSet):
    """Military requests, raised by the military liaison (or the office); the office takes each
    through its stages with `advance` (notes, next deadline, multipart `files`). Kept: no deletion."""

    http_method_names = NO_DELETE
    queryset = MilitaryRequest.objects.all()
    serializer_class = s.MilitaryRequestSerializer
    filterset_class = f.MilitaryRequestFilterSet
    parser_classes = PARSERS
    action_permissions = {"advance": ["command.advance_militaryrequest"]}

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        return services.military_request_raise(by=self.request.user, **data)

    @extend_schema(request=s.AdvanceSerializer, responses=s.MilitaryRequestSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        form = s.AdvanceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(
            services.military_request_advance(request=self.get_object(), by=request.user, **form.validated_data)
        )


class RequestStageViewSet(BaseViewSet):
    """The stages of the requests, read-only: they move with the request's `advance`."""

    http_method_names = READ_ONLY
    queryset = RequestStage.objects.all()
    serializer_class = s.RequestStageSerializer
    filterset_class = f.RequestStageFilterSet


class RequestAttachmentViewSet(_FileViewSet):
    queryset = RequestAttachment.objects.all()
    serializer_class = s.RequestAttachmentSerializer
    select_related = ("stage__request",)
    filterset_class = f.RequestAttachmentFilterSet


class OfficialViewSet(BaseViewSet):
    queryset = Official.objects.all()
    serializer_class = s.OfficialSerializer
    filterset_class = f.OfficialFilterSet


class CommandPostViewSet(BaseViewSet):
    """Command posts; `log-export` gives the log as a workbook signed with HMAC-SM3 (the signature
    in the `X-Signature` header), and `verify-log` tells whether a file and signature match."""

    queryset = CommandPost.objects.all()
    serializer_class = s.CommandPostSerializer
    filterset_class = f.CommandPostFilterSet
    action_permissions = {"log_export": ["command.view_logentry"], "verify_log": ["command.view_logentry"]}

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes})
    @action(detail=True, methods=["get"], url_path="log-export")
    def log_export(self, request, pk=None):
        data, signature, name = services.command_log_export(post=self.get_object(), by=request.user)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Signature"] = signature
        return response

    @extend_schema(request={"multipart/form-data": s.LogVerifySerializer}, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="verify-log", parser_classes=[MultiPartParser, FormParser])
    def verify_log(self, request):
        form = s.LogVerifySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data["file"].read()
        return Response({"valid": services.command_log_verify(data=data, signature=form.validated_data["signature"])})


class CommandPositionViewSet(BaseViewSet):
    queryset = CommandPosition.objects.all()
    serializer_class = s.CommandPositionSerializer
    filterset_class = f.CommandPositionFilterSet


class DutyShiftViewSet(BaseViewSet):
    queryset = DutyShift.objects.all()
    serializer_class = s.DutyShiftSerializer
    filterset_class = f.DutyShiftFilterSet


class LogEntryViewSet(BaseViewSet):
    """The command log: entries are appended (POST) and read, never changed or deleted, by anyone."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = LogEntry.objects.all()
    serializer_class = s.LogEntrySerializer
    filterset_class = f.LogEntryFilterSet

    def create_object(self, serializer):
        data = serializer.validated_data
        return services.command_log_append(
            post=data["post"], by=self.request.user, kind=data["kind"], text=data["text"], corrects=data.get("corrects")
        )


class ActionPlanViewSet(_Answering, BaseViewSet):
    """Action plans: `approve` a draft (the approved version before it is superseded); `gaps` is
    the live check of what the plan relies on that is short now, with reasons."""

    queryset = ActionPlan.objects.all()
    serializer_class = s.ActionPlanSerializer
    filterset_class = f.ActionPlanFilterSet
    action_permissions = {"approve": ["command.approve_actionplan"], "gaps": ["command.view_actionplan"]}

    @extend_schema(request=None, responses=s.ActionPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.plan_approve(plan=self.get_object(), by=request.user))

    @extend_schema(responses=s.GapSerializer(many=True))
    # What one plan is short of now: a plain list, neither paged nor filtered.
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def gaps(self, request, pk=None):
        return Response(s.GapSerializer(plan_gaps(self.get_object()), many=True).data)


class PlanRequirementViewSet(BaseViewSet):
    queryset = PlanRequirement.objects.all()
    serializer_class = s.PlanRequirementSerializer
    filterset_class = f.PlanRequirementFilterSet


class PlanRevisionItemViewSet(BaseViewSet):
    queryset = PlanRevisionItem.objects.all()
    serializer_class = s.PlanRevisionItemSerializer
    filterset_class = f.PlanRevisionItemFilterSet


class JointTaskViewSet(_Answering, BaseViewSet):
    """Joint-office tasks: `split` to districts (`districts`: region codes), `sign` for the
    signer's side; with both signatures the task closes. Kept: no deletion."""

    http_method_names = NO_DELETE
    queryset = JointTask.objects.all()
    serializer_class = s.JointTaskSerializer
    filterset_class = f.JointTaskFilterSet
    action_permissions = {"split": ["command.change_jointtask"], "sign": ["command.sign_jointtask"]}

    def create_object(self, serializer):
        return services.joint_task_create(by=self.request.user, **serializer.validated_data)

    @extend_schema(request=s.SplitSerializer, responses=s.JointTaskSerializer)
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        task = self.get_object()
        form = s.SplitSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        services.joint_task_split(task=task, districts=form.validated_data["districts"], by=request.user)
        return self._answer(task)

    @extend_schema(request=None, responses=s.JointTaskSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._answer(services.joint_task_sign(task=self.get_object(), by=request.user))


class JointTaskAssignmentViewSet(_Answering, BaseViewSet):
    """A district's part of a joint task: made by the task's `split`; `claim`, then `report` with
    multipart `files` of evidence."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = JointTaskAssignment.objects.all()
    serializer_class = s.JointTaskAssignmentSerializer
    filterset_class = f.JointTaskAssignmentFilterSet
    parser_classes = PARSERS
    action_permissions = {
        "claim": ["command.change_jointtaskassignment"],
        "report": ["command.change_jointtaskassignment", "command.add_jointtaskevidence"],
    }

    def create(self, request, *args, **kwargs):
        raise MethodNotAllowed(request.method)

    @extend_schema(request=None, responses=s.JointTaskAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        return self._answer(services.assignment_claim(assignment=self.get_object(), by=request.user))

    @extend_schema(request={"multipart/form-data": s.ReportSerializer}, responses=s.JointTaskAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        assignment = self.get_object()
        form = s.ReportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(services.assignment_report(assignment=assignment, by=request.user, **form.validated_data))


class JointTaskEvidenceViewSet(_FileViewSet):
    queryset = JointTaskEvidence.objects.all()
    serializer_class = s.JointTaskEvidenceSerializer
    select_related = ("assignment__task", "assignment__district")
    filterset_class = f.JointTaskEvidenceFilterSet


class JointRecordViewSet(_Answering, BaseViewSet):
    """Verifications and supervisions in the joint office's name: `sign` for the signer's side;
    a record stands with both signatures. Kept: no deletion."""

    http_method_names = NO_DELETE
    queryset = JointRecord.objects.all()
    serializer_class = s.JointRecordSerializer
    filterset_class = f.JointRecordFilterSet
    action_permissions = {"sign": ["command.sign_jointrecord"]}

    @extend_schema(request=None, responses=s.JointRecordSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._answer(services.joint_record_sign(record=self.get_object(), by=request.user))


class CadreSessionViewSet(BaseViewSet):
    """Command exercises and lectures for officials; `materials` adds to its library (multipart `files`)."""

    queryset = CadreSession.objects.all()
    serializer_class = s.CadreSessionSerializer
    filterset_class = f.CadreSessionFilterSet
    parser_classes = PARSERS
    action_permissions = {"materials": ["command.add_sessionmaterial"]}

    @extend_schema(
        request={"multipart/form-data": s.MaterialFilesSerializer}, responses=s.SessionMaterialSerializer(many=True)
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def materials(self, request, pk=None):
        session = self.get_object()
        form = s.MaterialFilesSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        stored = services.session_add_materials(session=session, by=request.user, **form.validated_data)
        data = s.SessionMaterialSerializer(stored, many=True, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class CadreAttendanceViewSet(BaseViewSet):
    queryset = CadreAttendance.objects.all()
    serializer_class = s.CadreAttendanceSerializer
    filterset_class = f.CadreAttendanceFilterSet

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        return services.cadre_attendance_record(by=self.request.user, **data)


class SessionMaterialViewSet(_FileViewSet):
    queryset = SessionMaterial.objects.all()
    serializer_class = s.SessionMaterialSerializer
    filterset_class = f.SessionMaterialFilterSet
