"""Filtersets. `BaseFilterSet` adds to what a subclass declares:

- `q`: a case-insensitive search over `search_fields`, and a whole mobile number matched
  through the keyed hash of any encrypted phone the model has;
- `<fk>_id` for every foreign key named in `Meta.fields` (no lookup of the related row);
- `region`: a region code that keeps the rows of that region's whole subtree.

Every number filter takes whole numbers within what the database can compare (a year within
what a date can hold), so a bad value is a 400 naming the parameter, never a database error.
"""

import datetime

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override

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
from .search import short_term_q
from .validators import MOBILE_PATTERN, YEAR_RANGE

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


# The widest integer column (bigint): a value beyond it can match nothing and the database refuses it.
INTEGER_RANGE = (-(2**63), 2**63 - 1)
ID_RANGE = (1, 2**63 - 1)


def bound_integer(number_filter, value_range):
    """Make a number filter take only whole numbers in `value_range`, and document exactly that."""
    number_filter.field_class = forms.IntegerField
    number_filter.extra.update(min_value=value_range[0], max_value=value_range[1])
    set_override(number_filter, "field", {"type": "integer", "minimum": value_range[0], "maximum": value_range[1]})
    return number_filter


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is refused rather than read as "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if str(value).lower() in ("true", "1"):
            return True
        if str(value).lower() in ("false", "0"):
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")


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
                target = model_field.target_field
                if isinstance(target, (models.IntegerField, models.AutoField)):
                    id_filter = bound_integer(
                        django_filters.NumberFilter(field_name=f"{name}_id", label=model_field.verbose_name), ID_RANGE
                    )
                else:
                    id_filter = django_filters.CharFilter(field_name=f"{name}_id", label=model_field.verbose_name)
                filters[f"{name}_id"] = id_filter
        for boolean_filter in filters.values():
            if isinstance(boolean_filter, django_filters.BooleanFilter):
                boolean_filter.field_class = StrictBooleanField
        for number_filter in filters.values():
            if (
                isinstance(number_filter, django_filters.NumberFilter)
                and number_filter.field_class is not forms.IntegerField
            ):
                year = number_filter.lookup_expr == "year" or number_filter.field_name.endswith("year")
                bound_integer(number_filter, YEAR_RANGE if year else INTEGER_RANGE)
        return filters

    def filter_q(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        indexed = short_term_q(queryset.model, self.search_fields, value)
        if indexed is not None:
            query &= indexed  # the same rows, found through the character index (mobilization.search)
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
