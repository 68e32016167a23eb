from django.db.models import ProtectedError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from mobilization.api.base import BaseViewSet
from mobilization.choices import AuditActionChoices
from mobilization.services import audit_record

from .. import filtersets, services
from ..exports import board_workbook
from ..models import (
    Activation,
    ActivationTeam,
    Equipment,
    EquipmentItem,
    PersonCall,
    StandbyDuty,
    Team,
    TeamCategory,
    TeamType,
    TypeEquipmentRequirement,
    TypeQualificationRequirement,
)
from ..querysets import READINESS_FIELDS
from ..selectors.board import activation_board
from . import serializers as s

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TeamCategoryViewSet(BaseViewSet):
    queryset = TeamCategory.objects.all()
    serializer_class = s.TeamCategorySerializer
    filterset_class = filtersets.TeamCategoryFilterSet


class TeamTypeViewSet(BaseViewSet):
    queryset = TeamType.objects.all()
    serializer_class = s.TeamTypeSerializer
    filterset_class = filtersets.TeamTypeFilterSet
    prefetch_related = ("qualification_requirements__kind", "equipment_requirements__item")


class EquipmentItemViewSet(BaseViewSet):
    queryset = EquipmentItem.objects.all()
    serializer_class = s.EquipmentItemSerializer
    filterset_class = filtersets.EquipmentItemFilterSet


class TypeQualificationRequirementViewSet(BaseViewSet):
    queryset = TypeQualificationRequirement.objects.all()
    serializer_class = s.TypeQualificationRequirementSerializer
    filterset_class = filtersets.TypeQualificationRequirementFilterSet


class TypeEquipmentRequirementViewSet(BaseViewSet):
    queryset = TypeEquipmentRequirement.objects.all()
    serializer_class = s.TypeEquipmentRequirementSerializer
    filterset_class = filtersets.TypeEquipmentRequirementFilterSet


class TeamViewSet(BaseViewSet):
    """Support teams with their live readiness; `?ready=false` lists the teams below their type's minimum."""

    queryset = Team.objects.all()
    serializer_class = s.TeamSerializer
    filterset_class = filtersets.TeamFilterSet
    ordering_fields = [
        "name",
        "region",
        "level",
        "status",
        "authorised_strength",
        "established",
        "current_headcount",
        "ready",
    ]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self._readiness_in_sql():
            return queryset.with_readiness()
        # Readiness of the rows fetched only (the page): a deep page costs what the first costs.
        return queryset.with_page_readiness()

    def _readiness_in_sql(self):
        """Whether the request filters or sorts on readiness, which then must be in the SQL of every row."""
        params = self.request.query_params if self.request else {}
        ordering = params.get(api_settings.ORDERING_PARAM, "")
        return "ready" in params or any(
            field.strip().lstrip("-") in READINESS_FIELDS for field in ordering.split(",") if field.strip()
        )

    def update_object(self, serializer):
        team = serializer.save()
        team._readiness = None  # the answer shows readiness as saved, not as loaded before the change
        return team

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError as exc:
            # A team with a roster or call-outs keeps its history: it is disbanded, not deleted.
            raise ValidationError(
                {"detail": [_("This team has a roster or call-outs on record; set its status to disbanded instead.")]}
            ) from exc


class EquipmentViewSet(BaseViewSet):
    queryset = Equipment.objects.all()
    serializer_class = s.EquipmentSerializer
    filterset_class = filtersets.EquipmentFilterSet


class StandbyDutyViewSet(BaseViewSet):
    queryset = StandbyDuty.objects.all()
    serializer_class = s.StandbyDutySerializer
    filterset_class = filtersets.StandbyDutyFilterSet


class ActivationViewSet(BaseViewSet):
    """Emergency activations. Ordering one notifies the called-out teams' liaisons; the workflow
    goes on by POST actions: `acknowledge` (a team answers), `deploy`, `stand-down`."""

    queryset = Activation.objects.all()
    serializer_class = s.ActivationSerializer
    filterset_class = filtersets.ActivationFilterSet
    prefetch_related = ("callouts__team",)
    action_permissions = {
        "acknowledge": ["teams.acknowledge_activationteam"],
        "deploy": ["teams.change_activation"],
        "stand_down": ["teams.change_activation"],
        "callout": ["teams.change_activation"],
        "board": ["teams.view_activation"],
        "board_export": ["teams.view_activation"],
    }

    def create_object(self, serializer):
        serializer.instance = services.activation_order(**serializer.validated_data, by=self.request.user)
        return serializer.instance

    def _answer(self, activation):
        activation = self.get_queryset().get(pk=activation.pk)
        return Response(self.get_serializer(activation).data)

    @extend_schema(request=s.AcknowledgeSerializer, responses=s.ActivationSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        activation = self.get_object()
        form = s.AcknowledgeSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        services.activation_acknowledge(activation=activation, by=request.user, **form.validated_data)
        return self._answer(activation)

    @extend_schema(request=None, responses=s.ActivationSerializer)
    @action(detail=True, methods=["post"])
    def deploy(self, request, pk=None):
        return self._answer(services.activation_deploy(activation=self.get_object(), by=request.user))

    @extend_schema(request=None, responses=s.ActivationSerializer)
    @action(detail=True, methods=["post"], url_path="stand-down")
    def stand_down(self, request, pk=None):
        return self._answer(services.activation_stand_down(activation=self.get_object(), by=request.user))

    @extend_schema(
        request=s.CalloutRequestSerializer, responses=inline_serializer("CalledOut", {"called": drf.IntegerField()})
    )
    @action(detail=True, methods=["post"])
    def callout(self, request, pk=None):
        """Call out people (by teams, team types, qualifications, region): each gets an SMS with their link."""
        activation = self.get_object()
        form = s.CalloutRequestSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        called = services.callout_people(activation=activation, by=request.user, **form.validated_data)
        return Response({"called": called})

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def board(self, request, pk=None):
        """The response board: per team and in total, called, delivered, yes/no, arrivals, shortfalls."""
        return Response(activation_board(activation=self.get_object(), user=request.user))

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=True, methods=["get"], url_path="board/export")
    def board_export(self, request, pk=None):
        activation = self.get_object()
        content = board_workbook(activation_board(activation=activation, user=request.user))
        audit_record(action=AuditActionChoices.EXPORT, request=request, obj=activation, detail={"board": True})
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="board-{activation.pk}.xlsx"'
        return response


class PersonCallViewSet(BaseViewSet):
    """Called-out persons and their answers (read-only: answers come through the personal link)."""

    http_method_names = ["get", "head", "options"]
    queryset = PersonCall.objects.all()
    serializer_class = s.PersonCallSerializer
    filterset_class = filtersets.PersonCallFilterSet
    select_related = ("sms",)
    prefetch_related = ("answers",)


class ActivationTeamViewSet(BaseViewSet):
    """Call-outs, one per team and activation (read-only: they change through the activation's actions)."""

    http_method_names = ["get", "head", "options"]
    queryset = ActivationTeam.objects.all()
    serializer_class = s.ActivationTeamSerializer
    filterset_class = filtersets.ActivationTeamFilterSet
