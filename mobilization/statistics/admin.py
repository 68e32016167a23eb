"""The statistics models in the admin: reports (read here, moved through the workflow by the
actions, which call the services), snapshots (read and downloaded) and member units' year
statuses. Registered from mobilization/admin.py. Scheduled snapshot times are edited under
django-celery-beat's periodic tasks."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..admin_base import ScopedAdmin
from ..models import MemberUnitYearStatus, StatisticsReport, StatisticsSnapshot
from . import services


class ReadOnlyAdmin(ScopedAdmin):
    """Rows made by services: viewed here, never added or edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _workflow_action(service, description, done):
    def action(modeladmin, request, queryset):
        moved = 0
        for report in queryset.select_related("office"):
            try:
                service(report=report, by=request.user)
                moved += 1
            except (PermissionDenied, ValidationError) as exc:
                modeladmin.message_user(
                    request, f"{report}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR
                )
        if moved:
            modeladmin.message_user(request, done % {"count": moved}, messages.SUCCESS)

    action.short_description = description
    action.__name__ = service.__name__
    return action


@admin.register(StatisticsReport)
class StatisticsReportAdmin(ReadOnlyAdmin):
    list_display = ["office", "period_kind", "period_start", "period_end", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "period_kind"]
    list_select_related = ["office"]
    search_fields = ["office__name", "remarks"]
    date_hierarchy = "period_start"
    actions = [
        _workflow_action(services.report_submit, _("Submit the selected reports"), _("%(count)d report(s) submitted.")),
        _workflow_action(
            services.report_approve, _("Approve the selected reports"), _("%(count)d report(s) approved.")
        ),
    ]


@admin.register(StatisticsSnapshot)
class StatisticsSnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "region",
        "period_kind",
        "period_start",
        "period_end",
        "generated_at",
        "duration_ms",
        "workbook_link",
    ]
    list_filter = ["period_kind"]
    list_select_related = ["region"]
    search_fields = ["region__name", "region__code"]
    exclude = ["figures"]

    @admin.display(description=_("workbook"))
    def workbook_link(self, obj):
        if not obj.workbook:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("api:statisticssnapshot-download", args=[obj.pk]), gettext("Download")
        )


@admin.register(MemberUnitYearStatus)
class MemberUnitYearStatusAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "phase", "status", "updated"]
    list_filter = ["year", "phase", "status"]
    list_select_related = ["unit"]
    search_fields = ["unit__name", "note"]
