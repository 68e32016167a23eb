"""The admin's shared base: every ModelAdmin of the project derives from `ScopedAdmin`."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .querysets import editable

__all__ = ["ScopedAdmin", "ScopedInline"]


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


class ScopedAdmin(ScopedFormfieldsMixin, SimpleHistoryAdmin):
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


class ScopedInline(ScopedFormfieldsMixin, admin.TabularInline):
    extra = 0
