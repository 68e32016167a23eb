"""Filtersets. `BaseFilterSet` adds to what a subclass declares:

- `q`: a case-insensitive search over `search_fields`, and a whole mobile number matched
  through the keyed hash of any encrypted phone the model has;
- `<fk>_id` for every foreign key named in `Meta.fields` (no lookup of the related row);
- `region`: a region code that keeps the rows of that region's whole subtree.
"""

import django_filters
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .fields import KeyedHashField, hashed_lookup
from .models import (
    AuditEvent,
    ContactPoint,
    MemberUnit,
    MemberUnitContact,
    Notification,
    Office,
    Region,
    UserProfile,
    Workstation,
)
from .querysets import region_prefix, scope_path
from .validators import MOBILE_PATTERN

__all__ = [
    "AuditEventFilterSet",
    "BaseFilterSet",
    "ContactPointFilterSet",
    "MemberUnitContactFilterSet",
    "MemberUnitFilterSet",
    "NotificationFilterSet",
    "OfficeFilterSet",
    "RegionFilterSet",
    "UserProfileFilterSet",
    "WorkstationFilterSet",
]


class BaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    region = django_filters.CharFilter(method="filter_region", label=_("Region code (whole subtree)"))
    search_fields = ()

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        if cls._meta.model is None:
            return filters
        field_names = {f.name for f in cls._meta.model._meta.get_fields()}
        for name in list(filters):
            model_field = cls._meta.model._meta.get_field(name) if name in field_names else None
            if isinstance(model_field, models.ForeignKey) and name not in cls.declared_filters:
                del filters[name]
                filters[f"{name}_id"] = django_filters.CharFilter(
                    field_name=f"{name}_id", label=model_field.verbose_name
                )
        return filters

    def filter_q(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        if MOBILE_PATTERN.fullmatch(value.strip()):
            for field in queryset.model._meta.concrete_fields:
                if isinstance(field, KeyedHashField):
                    query |= Q(**hashed_lookup(field.source, value.strip()))
        return queryset.filter(query) if query else queryset

    def filter_region(self, queryset, name, value):
        path = getattr(queryset.model, "scope", None) and queryset.model.scope.region
        if not path or not value:
            return queryset
        return queryset.filter(**{scope_path(path, "code") + "__startswith": region_prefix(value.ljust(12, "0")[:12])})


class RegionFilterSet(BaseFilterSet):
    search_fields = ("name", "code")

    class Meta:
        model = Region
        fields = ["level", "parent"]


class MemberUnitFilterSet(BaseFilterSet):
    search_fields = ("name", "credit_code")

    class Meta:
        model = MemberUnit
        fields = ["kind", "sector", "managed_by"]


class MemberUnitContactFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = MemberUnitContact
        fields = ["unit", "is_primary"]


class OfficeFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Office
        fields = ["level"]


class WorkstationFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Workstation
        fields = ["office"]


class ContactPointFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = ContactPoint
        fields = ["workstation"]


class UserProfileFilterSet(BaseFilterSet):
    search_fields = ("user__username", "user__last_name", "user__first_name")

    class Meta:
        model = UserProfile
        fields = ["role", "member_unit"]


class NotificationFilterSet(BaseFilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("Unread"))
    search_fields = ("title", "body")

    class Meta:
        model = Notification
        fields = ["kind"]


class AuditEventFilterSet(BaseFilterSet):
    search_fields = ("username", "object_repr")
    created_after = django_filters.IsoDateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["action", "user", "object_type"]
