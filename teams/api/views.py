from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mobilization.api.base import BaseViewSet

from .. import filtersets, services
from ..models import (
    Activation,
    ActivationTeam,
    Equipment,
    EquipmentItem,
    StandbyDuty,
    Team,
    TeamCategory,
    TeamType,
    TypeEquipmentRequirement,
    TypeQualificationRequirement,
)
from . import serializers as s


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
        return super().get_queryset().with_readiness()

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


class ActivationTeamViewSet(BaseViewSet):
    """Call-outs, one per team and activation (read-only: they change through the activation's actions)."""

    http_method_names = ["get", "head", "options"]
    queryset = ActivationTeam.objects.all()
    serializer_class = s.ActivationTeamSerializer
    filterset_class = filtersets.ActivationTeamFilterSet
