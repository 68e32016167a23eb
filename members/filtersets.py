import django_filters
from django.utils.translation import gettext_lazy as _

from mobilization.filtersets import BaseFilterSet

from .models import Membership, Person, Qualification, QualificationKind, RosterChange

__all__ = [
    "MembershipFilterSet",
    "PersonFilterSet",
    "QualificationFilterSet",
    "QualificationKindFilterSet",
    "RosterChangeFilterSet",
]


class PersonFilterSet(BaseFilterSet):
    # A full ID number is found through its keyed hash; the number itself is never searched in clear.
    id_number = django_filters.CharFilter(method="filter_id_number", label=_("ID number (full)"))
    team_id = django_filters.NumberFilter(method="filter_team", label=_("current team"))
    search_fields = ("name", "specialty")

    class Meta:
        model = Person
        fields = ["employer", "sex", "physical_condition", "political_status", "veteran"]

    def filter_id_number(self, queryset, name, value):
        return queryset.by_id_number(value)

    def filter_team(self, queryset, name, value):
        return queryset.filter(memberships__team_id=value, memberships__left__isnull=True)


class MembershipFilterSet(BaseFilterSet):
    current = django_filters.BooleanFilter(field_name="left", lookup_expr="isnull", label=_("current"))
    search_fields = ("person__name", "team__name")

    class Meta:
        model = Membership
        fields = ["person", "team", "role"]


class QualificationFilterSet(BaseFilterSet):
    expires_before = django_filters.DateFilter(field_name="expires", lookup_expr="lte", label=_("expires on or before"))
    expires_after = django_filters.DateFilter(field_name="expires", lookup_expr="gte", label=_("expires on or after"))
    search_fields = ("person__name", "number")

    class Meta:
        model = Qualification
        fields = ["person", "kind"]


class QualificationKindFilterSet(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = QualificationKind
        fields = ["code"]


class RosterChangeFilterSet(BaseFilterSet):
    search_fields = ("note", "file_name")

    class Meta:
        model = RosterChange
        fields = ["unit", "status", "source"]
