"""The admin's shared base: every ModelAdmin of the project derives from `ScopedAdmin`."""

import dataclasses
from functools import cache

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Q
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .fields import KeyedHashField, hashed_lookup
from .masking import mask_phone, sees_phone
from .querysets import editable
from .search import short_term_q
from .validators import MOBILE_PATTERN

__all__ = ["MaskedPhonesMixin", "ScopedAdmin", "ScopedInline", "phone_display"]


@cache
def phone_display(model, name, masked):
    """A read-only admin column or field showing `model.name` whole or masked.

    One function per (model, field, masked), made once and shared: which one a page uses is
    decided per request, and nothing about the request is kept on it (or on the ModelAdmin,
    which every thread shares)."""
    field = model._meta.get_field(name)

    def show(obj):
        value = getattr(obj, name)
        return mask_phone(value) if masked else value

    show.__name__ = f"{name}_{'masked' if masked else 'shown'}"
    show.short_description = field.verbose_name
    return show


class MaskedHistoryHelper(HistoricalRecordContextHelper):
    """A history page's "changes" column under the change page's rules: keys and hashes never
    shown, phones masked for roles that do not call people."""

    def __init__(self, *args, never_shown, masked, **kwargs):
        super().__init__(*args, **kwargs)
        self.never_shown, self.masked = never_shown, masked

    def context_for_delta_changes(self, delta):
        changes = [
            dataclasses.replace(c, old=mask_phone(c.old), new=mask_phone(c.new)) if c.field in self.masked else c
            for c in delta.changes
            if c.field not in self.never_shown
        ]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def prepare_delta_change_value(self, change, value):
        # An empty value reads as a dash, as in the lists, not as Python's "None".
        if value is None or value == "":
            return "—"
        return super().prepare_delta_change_value(change, value)


class MaskedPhonesMixin:
    """Phones (`masked_phones`, field names) shown masked to roles that do not ring people: in
    the list, in the change form (read-only there) and in the history, decided per request."""

    masked_phones = ()
    #: Fields a history page never shows (ciphertexts); keyed hashes are left out without being named.
    never_shown = ()

    def _masks(self, request):
        return bool(self.masked_phones) and not sees_phone(request.user, self.model)

    def _swap(self, names, request):
        masked = self._masks(request)
        return [
            phone_display(self.model, n, masked) if isinstance(n, str) and n in self.masked_phones else n for n in names
        ]

    def get_list_display(self, request):
        return self._swap(super().get_list_display(request), request)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return list(dict.fromkeys(self._swap(fields, request))) if self._masks(request) else fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._masks(request):
            fields += [phone_display(self.model, n, True) for n in self.masked_phones]
        return fields

    def get_search_results(self, request, queryset, search_term):
        """A whole mobile number finds its rows through the keyed hash (the column holds ciphertext);
        a word of one or two characters is narrowed by the character index first (mobilization.search)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        for word in search_term.split():  # each word must match, as in the admin's own search
            indexed = short_term_q(self.model, self.get_search_fields(request), word)
            if indexed is not None:
                found = found.filter(indexed)
        term = search_term.strip()
        hashed = [f.source for f in self.model._meta.concrete_fields if isinstance(f, KeyedHashField)]
        if hashed and MOBILE_PATTERN.fullmatch(term):
            by_phone = Q()
            for name in hashed:
                by_phone |= Q(**hashed_lookup(name, term))
            found |= queryset.filter(by_phone)
        return found, may_have_duplicates

    def get_historical_record_context_helper(self, request, historical_record):
        hashes = {f.name for f in self.model._meta.concrete_fields if isinstance(f, KeyedHashField)}
        return MaskedHistoryHelper(
            self.model,
            historical_record,
            never_shown={*self.never_shown, *hashes},
            masked=set(self.masked_phones) if self._masks(request) else set(),
        )


def _scoped(queryset, request):
    return queryset.visible_to(request.user) if hasattr(queryset, "visible_to") else queryset


class ScopedFormfieldsMixin:
    """Foreign-key and many-to-many choices show only what the user may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = _scoped(field.queryset, request)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = _scoped(field.queryset, request)
        return field


class ScopedAdmin(MaskedPhonesMixin, ScopedFormfieldsMixin, SimpleHistoryAdmin):
    """Scoped to the user's region or unit, with history; out-of-scope objects answer 404."""

    list_per_page = 50
    show_full_result_count = False  # one COUNT less per changelist on big tables

    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request)

    def has_change_permission(self, request, obj=None):
        # A row seen only through another (a city exercise a district team takes part in) is
        # shown read-only: records are changed in their owner's scope.
        return super().has_change_permission(request, obj) and (obj is None or editable(obj, request.user))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or editable(obj, request.user))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects with "does not exist"; scoping answers 404 on every path.
        raise Http404

    @property
    def _keeps_history(self):
        # Append-only rows (ScopedModel: audit events, snapshots, attendance) keep no
        # simple-history table; their history page is Django's own log of admin actions.
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    @property
    def object_history_template(self):
        return SimpleHistoryAdmin.object_history_template if self._keeps_history else None

    def history_view(self, request, object_id, extra_context=None):
        # The history of an object outside the user's scope is as absent as the object.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        if not self._keeps_history:
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version of an object outside the user's scope is as absent as the object, and a
        # row without history has no past version.
        if not self._keeps_history or self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedInline(MaskedPhonesMixin, ScopedFormfieldsMixin, admin.TabularInline):
    extra = 0
