"""The auditor's view of the trail: read-only for everyone, superusers included; filters by user,
action, outcome, date and object; each event links to the user it names and to the object's
whole history in the trail; the filtered list exports to .xlsx (an audited export)."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..choices import RoleChoices
from ..models import AuditArchive, AuditEvent
from .export import audit_export_workbook

__all__ = ["AuditArchiveAdmin", "AuditEventAdmin"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes here, whatever their permissions."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def object_type_name(label):
    """A model label as people read it: the model's name ("人员"), or the label if it is gone."""
    try:
        return capfirst(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


class ObjectTypeFilter(admin.SimpleListFilter):
    """The kinds of object in the trail, by name; the parameter is the label, as links give it."""

    title = _("object type")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        labels = model_admin.get_queryset(request).order_by().values_list("object_type", flat=True).distinct()
        return sorted(((label, object_type_name(label)) for label in labels if label), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["time", "username", "full_name", "role_label", "action", "outcome", "ip_address", "object_link"]
    list_filter = [
        "action",
        "outcome",
        ("created", admin.DateFieldListFilter),
        ObjectTypeFilter,
        ("username", admin.AllValuesFieldListFilter),
    ]
    search_fields = ["username", "full_name", "object_repr", "object_id"]
    date_hierarchy = "created"
    show_full_result_count = False
    list_per_page = 50
    fields = [
        "time", "user_link", "username", "full_name", "role_label", "action", "outcome", "ip_address",
        "object_type_label", "object_id", "object_repr", "object_link", "changes_table", "detail", "prev_hash", "hash",
    ]  # fmt: skip
    readonly_fields = fields
    # The event's object, its history in the trail, and the acting user are opened by these.
    filter_lookups = {"object_type", "object_id", "user__id__exact", "user_id"}

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.filter_lookups or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("time (Beijing)"), ordering="created")
    def time(self, event):
        return timezone.localtime(event.created).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("object type"))
    def object_type_label(self, event):
        return object_type_name(event.object_type) if event.object_type else "—"

    @admin.display(description=_("role"))
    def role_label(self, event):
        return event.role_display

    @admin.display(description=_("user"))
    def user_link(self, event):
        if not event.user_id:
            return event.username or "—"
        url = reverse("admin:auth_user_change", args=[event.user_id])
        trail = self._trail_url(user_id=event.user_id)
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            url,
            event.full_name or event.username,
            trail,
            _("their events"),
        )

    def _trail_url(self, **params):
        return f"{reverse('admin:mobilization_auditevent_changelist')}?{urlencode(params)}"

    @admin.display(description=_("object"))
    def object_link(self, event):
        if not event.object_type:
            return "—"
        history = self._trail_url(object_type=event.object_type, object_id=event.object_id)
        links = [(history, _("history"))]
        change = self._object_url(event)
        if change:
            links.insert(0, (change, event.object_repr or event.object_id))
        else:
            links.insert(0, ("", event.object_repr or event.object_id))
        return format_html_join(
            " · ", "{}", ((format_html('<a href="{}">{}</a>', u, t) if u else t,) for u, t in links)
        )

    def _object_url(self, event):
        try:
            model = apps.get_model(event.object_type)
        except (LookupError, ValueError):
            return None
        if model not in admin.site._registry or not event.object_id:
            return None
        try:
            return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[event.object_id])
        except NoReverseMatch:
            return None

    @admin.display(description=_("fields changed"))
    def changes_table(self, event):
        if not event.changes:
            return "—"
        try:
            model = apps.get_model(event.object_type)
        except (LookupError, ValueError):
            model = None
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            (self._changed(model, name, pair) for name, pair in sorted(event.changes.items())),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("field"),
            _("before"),
            _("after"),
            rows,
        )

    @classmethod
    def _changed(cls, model, name, pair):
        """A changed field by its label, its values as the UI shows them (a choice by its label,
        a role group by its role), not as stored."""
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = capfirst(field.verbose_name) if getattr(field, "verbose_name", None) else name
        shown = dict(field.flatchoices) if getattr(field, "choices", None) else {}
        if (model is Group and name == "name") or getattr(field, "related_model", None) is Group:
            shown = dict(RoleChoices.choices)  # a role's group is named by the role's code
        return label, cls._show(pair[0], shown), cls._show(pair[1], shown)

    @staticmethod
    def _show(value, shown=None):
        if value is None or value == "":
            return "—"
        values = value if isinstance(value, list) else [value]
        return ", ".join(str((shown or {}).get(v, v)) if isinstance(v, str | int) else str(v) for v in values)

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="mobilization_auditevent_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
        content = audit_export_workbook(
            by=request.user,
            queryset=queryset,
            request=request,
            filters={k: v for k, v in request.GET.items()},
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"audit-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


@admin.register(AuditArchive)
class AuditArchiveAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "first_event_id", "last_event_id", "count", "archived"]
    search_fields = ["file_name"]

    def get_queryset(self, request):
        return AuditArchive.objects.all() if self.has_view_permission(request) else AuditArchive.objects.none()

    @admin.display(description=_("archived at"), ordering="created")
    def archived(self, archive):
        return timezone.localtime(archive.created).strftime("%Y-%m-%d %H:%M:%S")
