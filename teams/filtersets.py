import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mobilization.filtersets import BaseFilterSet

from .models import (
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

__all__ = [
    "ActivationFilterSet",
    "ActivationTeamFilterSet",
    "EquipmentFilterSet",
    "EquipmentItemFilterSet",
    "StandbyDutyFilterSet",
    "TeamCategoryFilterSet",
    "TeamFilterSet",
    "TeamTypeFilterSet",
    "TypeEquipmentRequirementFilterSet",
    "TypeQualificationRequirementFilterSet",
]


def _id_or_code(field):
    """Filter on a related row named by its id or by its code."""

    def method(queryset, name, value):
        key = f"{field}_id" if value.isdigit() else f"{field}__code"
        return queryset.filter(**{key: value})

    return method


class TeamCategoryFilterSet(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = TeamCategory
        fields = []


class TeamTypeFilterSet(BaseFilterSet):
    category = django_filters.CharFilter(method=_id_or_code("category"), label=_("category (id or code)"))
    search_fields = ("code", "name")

    class Meta:
        model = TeamType
        fields = []


class EquipmentItemFilterSet(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = EquipmentItem
        fields = []


class TypeQualificationRequirementFilterSet(BaseFilterSet):
    search_fields = ("team_type__name", "kind__name")

    class Meta:
        model = TypeQualificationRequirement
        fields = ["team_type", "kind"]


class TypeEquipmentRequirementFilterSet(BaseFilterSet):
    search_fields = ("team_type__name", "item__name")

    class Meta:
        model = TypeEquipmentRequirement
        fields = ["team_type", "item"]


class TeamFilterSet(BaseFilterSet):
    """Teams; `ready` filters on the live readiness annotated by `Team.objects.with_readiness()`."""

    ready = django_filters.BooleanFilter(field_name="ready", label=_("ready"))
    category = django_filters.CharFilter(method=_id_or_code("team_type__category"), label=_("category (id or code)"))
    type = django_filters.CharFilter(method=_id_or_code("team_type"), label=_("type (id or code)"))
    unit = django_filters.NumberFilter(field_name="unit_id", label=_("member unit"))
    search_fields = ("name", "unit__name")

    class Meta:
        model = Team
        fields = ["level", "status"]


class EquipmentFilterSet(BaseFilterSet):
    search_fields = ("item__name", "team__name")

    class Meta:
        model = Equipment
        fields = ["team", "item", "condition"]


class StandbyDutyFilterSet(BaseFilterSet):
    at = django_filters.IsoDateTimeFilter(method="filter_at", label=_("on duty at"))
    search_fields = ("officer_name", "team__name")

    class Meta:
        model = StandbyDuty
        fields = ["team"]

    def filter_at(self, queryset, name, value):
        return queryset.filter(start__lte=value, end__gt=value)


class ActivationFilterSet(BaseFilterSet):
    search_fields = ("title", "reason")

    class Meta:
        model = Activation
        fields = ["status"]


class ActivationTeamFilterSet(BaseFilterSet):
    acknowledged = django_filters.BooleanFilter(field_name="acknowledged_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = ActivationTeam
        fields = ["activation", "team"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(team__name__icontains=value) | Q(activation__title__icontains=value))


class PersonCallFilterSet(BaseFilterSet):
    answered = django_filters.BooleanFilter(field_name="answered_at", lookup_expr="isnull", exclude=True)
    arrived = django_filters.BooleanFilter(field_name="arrived_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = PersonCall
        fields = ["activation", "team", "person", "answer"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(person__name__icontains=value) | Q(team__name__icontains=value))
