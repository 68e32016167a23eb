"""Filtersets. `BaseFilterSet` adds to what a subclass declares:

- `q`: a case-insensitive search over `search_fields`;
- `<fk>_id` for every foreign key named in `Meta.fields` (no lookup of the related row);
- `region`: a region code that keeps the rows of that region's whole subtree.
"""

import datetime

import django_filters
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
        return queryset.filter(query) if self.search_fields else queryset

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
    search_fields = ("username", "full_name", "object_repr")
    user = django_filters.NumberFilter(field_name="user_id", label=_("User (id)"))
    object_type = django_filters.CharFilter(method="filter_object_type", label=_("Object type (e.g. members.Person)"))
    created_after = django_filters.IsoDateTimeFilter(field_name="created", lookup_expr="gte", label=_("From (time)"))
    created_before = django_filters.IsoDateTimeFilter(field_name="created", lookup_expr="lt", label=_("Before (time)"))
    date_from = django_filters.DateFilter(method="filter_date_from", label=_("From (date, Beijing)"))
    date_to = django_filters.DateFilter(method="filter_date_to", label=_("To (date, Beijing, inclusive)"))

    class Meta:
        model = AuditEvent
        fields = ["action", "outcome", "username", "object_id"]

    def filter_object_type(self, queryset, name, value):
        # The label as stored ("members.Person"), whatever case the caller wrote, so the index serves.
        from django.apps import apps

        try:
            value = apps.get_model(value)._meta.label
        except (LookupError, ValueError):
            pass
        return queryset.filter(object_type=value)

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(created__gte=_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(created__lt=_day_start(value + datetime.timedelta(days=1)))


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
