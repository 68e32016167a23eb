"""The statistics models in the admin: reports (prepared, edited while a draft or returned,
and moved through the workflow; every step calls its service, so the admin obeys the same
rules as the API), snapshots (read and downloaded) and member units' year statuses (set
through their service). Scheduled snapshot times are edited under django-celery-beat's
periodic tasks."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mobilization.admin_base import ScopedAdmin
from mobilization.choices import AuditActionChoices
from mobilization.querysets import user_profile
from mobilization.roles import may_prepare_office_reports
from mobilization.services import audit_record

from . import services
from .choices import ReportStatusChoices, YearStatusChoices
from .forms import ReportPrepareForm, ReportReturnForm
from .models import MemberUnitYearStatus, StatisticsReport, StatisticsSnapshot


def figures_html(figures):
    """The frozen figures as the change page shows them: headline, then a table per section."""
    headline = [item for entry in figures.get("sections", []) for item in entry.get("headline", [])]
    return render_to_string("admin/reporting/_figures.html", {"figures": figures, "headline": headline})


class ReadOnlyAdmin(ScopedAdmin):
    """Rows made by services: viewed here, never added or edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _each_report(modeladmin, request, queryset, service, **kwargs):
    """Call `service` on each selected report: one the service refuses is named in an error
    message and the others still go through. Returns how many it took."""
    done = 0
    for report in queryset.select_related("office"):
        try:
            service(report=report, by=request.user, **kwargs)
            done += 1
        except (PermissionDenied, ValidationError) as exc:
            reasons = " ".join(getattr(exc, "messages", None) or [str(exc)])
            modeladmin.message_user(request, f"{report}: {reasons}", messages.ERROR)
    return done


def _workflow_action(name, service, description, done):
    def action(modeladmin, request, queryset):
        moved = _each_report(modeladmin, request, queryset, service)
        if moved:
            modeladmin.message_user(request, done % {"count": moved}, messages.SUCCESS)

    action.short_description = description
    action.__name__ = name
    action.allowed_permissions = ("change",)  # not offered to the roles that only read reports
    return action


@admin.register(StatisticsReport)
class StatisticsReportAdmin(ScopedAdmin):
    """The reporting cycle in the admin. "Add" prepares a report (its figures are computed
    then); a draft or returned report's remarks are edited by its own office; a submitted one
    awaits the superior office's decision; an approved one is locked."""

    list_display = ["office", "period_kind", "period_start", "period_end", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "period_kind"]
    list_select_related = ["office"]
    search_fields = ["office__name", "remarks"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["office"]
    readonly_fields = [
        "office",
        "period_kind",
        "period_start",
        "period_end",
        "status",
        "figures_at",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "return_reason",
        "workbook_link",
        "figures_display",
    ]
    actions = [
        _workflow_action(
            "report_submit",
            services.statistics_report_submit,
            _("Submit the selected reports"),
            _("%(count)d report(s) submitted."),
        ),
        _workflow_action(
            "report_approve",
            services.statistics_report_approve,
            _("Approve the selected reports"),
            _("%(count)d report(s) approved."),
        ),
        "return_reports",
    ]

    # --- who may do what: the services' own rules, so the admin offers only what they allow ---------

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or (
            obj.status in (ReportStatusChoices.DRAFT, ReportStatusChoices.RETURNED)
            and may_prepare_office_reports(request.user, obj.office)
        )

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or (
            obj.status == ReportStatusChoices.DRAFT and may_prepare_office_reports(request.user, obj.office)
        )

    # --- the figures, their workbook and "submit" on the report's own page ---------------------------

    @admin.display(description=_("figures"))
    def figures_display(self, obj):
        return figures_html(obj.figures or {})

    @admin.display(description=_("workbook"))
    def workbook_link(self, obj):
        if not obj.pk or not obj.figures:
            return "—"
        url = reverse("admin:reporting_statisticsreport_workbook", args=[obj.pk])
        return format_html('<a href="{}" data-testid="report-workbook">{}</a>', url, gettext("Download workbook"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/workbook/",
                self.admin_site.admin_view(self.workbook_view),
                name="reporting_statisticsreport_workbook",
            ),
            *super().get_urls(),
        ]

    def workbook_view(self, request, pk):
        report = get_object_or_404(self.get_queryset(request).select_related("office"), pk=pk)
        if not self.has_view_permission(request, report) or not report.figures:
            raise PermissionDenied
        audit_record(
            action=AuditActionChoices.EXPORT,
            request=request,
            obj=report,
            detail={"model": report._meta.label, "format": "xlsx"},
        )
        response = HttpResponse(
            services.figures_workbook_bytes(report.figures),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"statistics-report-{report.office.region_id}-{report.period_kind}-{report.period_start:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        may_submit = (
            obj is not None
            and obj.status in (ReportStatusChoices.DRAFT, ReportStatusChoices.RETURNED)
            and self.has_change_permission(request, obj)
        )
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "can_submit_report": may_submit}
        )

    def response_change(self, request, obj):
        if "_submit_report" not in request.POST:
            return super().response_change(request, obj)
        try:
            report = services.statistics_report_submit(report=obj, by=request.user)
        except (PermissionDenied, ValidationError) as exc:
            reasons = " ".join(getattr(exc, "messages", None) or [str(exc)])
            self.message_user(request, reasons, messages.ERROR)
        else:
            self.message_user(
                request, gettext("%(report)s submitted to the superior office.") % {"report": report}, messages.SUCCESS
            )
        return HttpResponseRedirect(reverse("admin:reporting_statisticsreport_change", args=[obj.pk]))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ReportPrepareForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ReportPrepareForm._meta.fields
        return [*self.readonly_fields[:5], "remarks", *self.readonly_fields[5:]]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "office" and not request.user.is_superuser:
            # Only an office's own staff prepare its reports.
            profile = user_profile(request.user)
            field.queryset = field.queryset.filter(region_id=profile.region_id if profile else None)
        return field

    def save_model(self, request, obj, form, change):
        if change:
            report = services.statistics_report_update(report=obj, by=request.user, remarks=obj.remarks)
        else:
            report = services.statistics_report_prepare(
                office=obj.office,
                period_kind=obj.period_kind,
                period_start=obj.period_start,
                remarks=obj.remarks,
                by=request.user,
            )
        # The admin's message, log entry and redirect name the report the service saved.
        obj.pk, obj.period_end, obj.figures_at = report.pk, report.period_end, report.figures_at

    def save_related(self, request, form, formsets, change):
        pass  # no related objects: the service saved everything

    def delete_model(self, request, obj):
        services.statistics_report_delete(report=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        _each_report(self, request, queryset, services.statistics_report_delete)

    # --- return with a reason: an intermediate page, like the delete confirmation ---------------------

    @admin.action(description=_("Return the selected reports with a reason"), permissions=["change"])
    def return_reports(self, request, queryset):
        queryset = queryset.select_related("office")
        form = ReportReturnForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            returned = _each_report(
                self, request, queryset, services.statistics_report_return, reason=form.cleaned_data["reason"]
            )
            if returned:
                self.message_user(
                    request,
                    ngettext("%(count)d report returned.", "%(count)d reports returned.", returned)
                    % {"count": returned},
                    messages.SUCCESS,
                )
            return None  # back to the list
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Return reports with a reason"),
            "opts": self.model._meta,
            "reports": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "return_reports",
        }
        return TemplateResponse(request, "admin/reporting/report_return.html", context)


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
    # The stored file has no public address (media is served only through scoped views): the
    # change page links to the audited download, as the list does.
    exclude = ["figures", "workbook"]
    readonly_fields = ["workbook_link", "figures_display"]

    @admin.display(description=_("figures"))
    def figures_display(self, obj):
        return figures_html(obj.figures or {})

    @admin.display(description=_("workbook"))
    def workbook_link(self, obj):
        if not obj.workbook:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("api:statisticssnapshot-download", args=[obj.pk]), gettext("Download")
        )


def _year_status_action(status, description):
    def action(modeladmin, request, queryset):
        for row in queryset.select_related("unit"):
            services.year_status_set(
                unit=row.unit, year=row.year, phase=row.phase, status=status, note=row.note, by=request.user
            )

    action.short_description = description
    action.__name__ = f"mark_{status}"
    action.allowed_permissions = ("change",)
    return action


@admin.register(MemberUnitYearStatus)
class MemberUnitYearStatusAdmin(ScopedAdmin):
    """Where each member unit stands in the year's plan, supervision and evaluation, set by the
    office through `year_status_set` (the statistics section counts these rows)."""

    list_display = ["unit", "year", "phase", "status", "updated"]
    list_filter = ["year", "phase", "status"]
    list_select_related = ["unit"]
    search_fields = ["unit__name", "note"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "year", "phase", "status", "note"]
    actions = [
        _year_status_action(YearStatusChoices.SUBMITTED, _("Mark the selected as submitted")),
        _year_status_action(YearStatusChoices.ACCEPTED, _("Mark the selected as accepted")),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A row is one unit's one phase of one year: changing those would make it another row.
        return ["unit", "year", "phase"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        row = services.year_status_set(
            unit=obj.unit, year=obj.year, phase=obj.phase, status=obj.status, note=obj.note, by=request.user
        )
        obj.pk = row.pk
