"""Admin of the inspections app. Workflow steps go through the services; stored photos and videos
are shown through the protected portal URL only (MEDIA is not routed publicly)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization.admin_base import ScopedAdmin, ScopedInline
from mobilization.querysets import user_profile

from . import cycles, services
from .choices import ChecklistResultChoices, ReportStatusChoices
from .forms import verification_admin_form
from .models import (
    EvaluationFollowUp,
    Facility,
    FollowUpEvidence,
    InspectionCycle,
    InspectionMedia,
    InspectionReport,
    MaterialStock,
    PotentialVerification,
    Rectification,
    RectificationEvidence,
    TeamEvaluation,
    VerificationLine,
)

MEDIA_ROUTES = {
    InspectionMedia: "portal:inspections-media",
    RectificationEvidence: "portal:inspections-evidence",
    FollowUpEvidence: "portal:inspections-follow-up-evidence",
}


def media_link(obj):
    if obj is None or obj.pk is None:
        return "—"
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>', reverse(MEDIA_ROUTES[type(obj)], args=[obj.pk]), obj
    )


class _MediaInline(ScopedInline):
    fields = ["download", "kind", "content_type", "size", "uploaded_by", "created"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # files come in through the services, which check their content

    @admin.display(description=_("file"))
    def download(self, obj):
        return media_link(obj)


class InspectionMediaInline(_MediaInline):
    model = InspectionMedia


class EvidenceInline(_MediaInline):
    model = RectificationEvidence


class FollowUpEvidenceInline(_MediaInline):
    model = FollowUpEvidence


class _MediaAdmin(ScopedAdmin):
    list_display = ["__str__", "download", "kind", "content_type", "size", "uploaded_by", "created"]
    list_filter = ["kind"]
    list_select_related = ["uploaded_by"]
    readonly_fields = ["download", "kind", "content_type", "size", "uploaded_by"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return media_link(obj)


@admin.register(InspectionMedia)
class InspectionMediaAdmin(_MediaAdmin):
    list_select_related = ["uploaded_by", "report__facility"]
    search_fields = ["report__facility__name"]
    readonly_fields = ["report", *_MediaAdmin.readonly_fields]


@admin.register(RectificationEvidence)
class RectificationEvidenceAdmin(_MediaAdmin):
    list_select_related = ["uploaded_by", "rectification__facility"]
    search_fields = ["rectification__facility__name", "rectification__responsible_party"]
    readonly_fields = ["rectification", *_MediaAdmin.readonly_fields]


class MaterialStockInline(ScopedInline):
    model = MaterialStock
    fields = ["material_type", "quantity", "unit"]


@admin.register(Facility)
class FacilityAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "responsible_party", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["region"]
    search_fields = ["name", "address", "responsible_party"]
    autocomplete_fields = ["region"]
    inlines = [MaterialStockInline]
    masked_phones = ("responsible_phone",)
    readonly_fields = ["inspection_cycle"]

    @admin.display(description=_("inspection cycle"))
    def inspection_cycle(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = cycles.schedule(Facility.objects.filter(pk=obj.pk), timezone.localdate())
        if not rows:
            return gettext("Not inspected on a cycle (out of service).")
        row = rows[0]
        state = gettext("overdue") if row.overdue else gettext("inspected") if row.covered else gettext("due")
        return gettext("Every %(months)s month(s); last inspected %(last)s; %(state)s, next due %(due)s.") % {
            "months": row.months,
            "last": row.last_inspected or "—",
            "state": state,
            "due": row.due_on,
        }


@admin.register(InspectionCycle)
class InspectionCycleAdmin(ScopedAdmin):
    """The cycles offices set; above the list, coverage of the current cycles below the user's region."""

    list_display = ["region", "kind", "months", "remind_days"]
    list_filter = ["kind", "months"]
    search_fields = ["region__name", "region__code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    change_list_template = "admin/inspections/inspectioncycle/change_list.html"

    def changelist_view(self, request, extra_context=None):
        profile = user_profile(request.user)
        code = profile.region_id if profile and profile.region_id else "370000000000"
        rows = cycles.schedule(Facility.objects.visible_to(request.user), timezone.localdate())
        extra = {"coverage": cycles.coverage(rows, code), **(extra_context or {})}
        return super().changelist_view(request, extra)


def _run(modeladmin, request, queryset, service, done, **kwargs):
    for obj in queryset:
        try:
            service(by=request.user, **{modeladmin.service_arg: obj}, **kwargs)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {'; '.join(exc.messages)}", messages.ERROR)
        else:
            modeladmin.message_user(request, done % {"obj": obj}, messages.SUCCESS)


class ServiceRefusals:
    """A service's refusal (a past deadline, missing figures) comes back as a message on the form
    page instead of a server error; the transaction around the admin view has rolled it back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(InspectionReport)
class InspectionReportAdmin(ScopedAdmin):
    service_arg = "report"
    list_display = ["facility", "inspector", "inspected_on", "status", "severity"]
    # The date is a filter (today, past 7 days, this month, this year), not a date hierarchy: the
    # hierarchy's year links are a DISTINCT over every report in scope on every page (0.4 s over
    # a nation's 1.3 million), the filter costs no query.
    list_filter = ["inspected_on", "status", "severity", "facility__kind"]
    list_select_related = ["facility", "inspector"]
    search_fields = ["facility__name", "findings"]
    readonly_fields = [
        "facility", "inspector", "status", "inspected_on", "checklist_table", "findings", "severity",
        "submitted_at", "reviewed_by", "reviewed_at",
    ]  # fmt: skip
    # The checklist is shown as words (checklist_table), never as its stored keys; it is filled in
    # the portal or the API, like the rest of the report.
    exclude = ["checklist"]
    inlines = [InspectionMediaInline]
    actions = ["review"]

    @admin.display(description=_("checklist"))
    def checklist_table(self, report):
        """Each item of the checklist by its words: the item, the result, the note (no keys)."""
        labels = dict(report.facility.checklist) if report.facility_id else {}
        results = dict(ChecklistResultChoices.choices)
        rows = [
            (
                labels.get(key, key),
                results.get(answer.get("result"), answer.get("result") or "—"),
                answer.get("note", ""),
            )
            for key, answer in (report.checklist or {}).items()
        ]
        if not rows:
            return "—"
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def has_add_permission(self, request):
        return False  # reports are filed from the portal or the API, with their files checked

    @admin.action(description=_("Mark reviewed"), permissions=["review"])
    def review(self, request, queryset):
        _run(self, request, queryset, services.report_review, gettext("%(obj)s: reviewed."))

    def has_review_permission(self, request):
        return request.user.has_perm("inspections.review_inspectionreport")


@admin.register(Rectification)
class RectificationAdmin(ServiceRefusals, ScopedAdmin):
    service_arg = "order"
    list_display = ["facility", "responsible_party", "deadline", "status", "round", "escalation_level"]
    list_filter = ["status", "escalation_level"]
    list_select_related = ["facility"]
    search_fields = ["facility__name", "responsible_party", "requirement"]
    date_hierarchy = "deadline"
    autocomplete_fields = ["facility"]
    raw_id_fields = ["report"]
    readonly_fields = [
        "responsible_party", "status", "issued_by", "completed_on", "completion_note", "verified_by",
        "verified_on", "verification_note", "round", "escalation_level",
    ]  # fmt: skip
    inlines = [EvidenceInline]
    actions = ["verify"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "report" and field is not None:
            field.queryset = field.queryset.exclude(status=ReportStatusChoices.DRAFT)  # orders follow filed reports
        return field

    def get_readonly_fields(self, request, obj=None):
        # An order stays about the facility and report it was issued for.
        return [*self.readonly_fields, "report", "facility"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            services.rectification_update(
                order=obj, by=request.user, requirement=obj.requirement, deadline=obj.deadline
            )
            return
        created = services.rectification_issue(
            by=request.user,
            report=obj.report,
            facility=obj.facility,
            requirement=obj.requirement,
            deadline=obj.deadline,
        )
        obj.pk, obj.responsible_party, obj.issued_by, obj.status = (
            created.pk,
            created.responsible_party,
            created.issued_by,
            created.status,
        )
        obj._state.adding = False

    @admin.action(description=_("Verify and close (re-inspected)"), permissions=["change"])
    def verify(self, request, queryset):
        _run(self, request, queryset, services.rectification_verify, gettext("%(obj)s: verified and closed."))


class FollowUpInline(ScopedInline):
    model = EvaluationFollowUp
    fields = ["item", "owner", "deadline", "done"]


@admin.register(TeamEvaluation)
class TeamEvaluationAdmin(ScopedAdmin):
    list_display = ["team", "year", "period", "total", "grade", "evaluated_on"]
    list_filter = ["year", "period", "grade"]
    list_select_related = ["team"]
    search_fields = ["team__name", "findings"]
    autocomplete_fields = ["team"]
    readonly_fields = ["total", "grade", "evaluated_by"]
    inlines = [FollowUpInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.evaluated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(EvaluationFollowUp)
class EvaluationFollowUpAdmin(ScopedAdmin):
    list_display = ["item", "evaluation", "owner", "deadline", "done", "escalation_level"]
    list_filter = ["done", "escalation_level"]
    readonly_fields = ["done_note", "reported_by", "escalation_level"]
    inlines = [FollowUpEvidenceInline]
    list_select_related = ["evaluation__team"]
    search_fields = ["item", "owner", "evaluation__team__name"]
    raw_id_fields = ["evaluation"]


@admin.register(MaterialStock)
class MaterialStockAdmin(ScopedAdmin):
    list_display = ["facility", "material_type", "quantity", "unit"]
    list_select_related = ["facility"]
    search_fields = ["facility__name", "material_type"]
    autocomplete_fields = ["facility"]


class VerificationLineInline(ScopedInline):
    model = VerificationLine
    fields = ["stock", "declared_type", "declared_quantity", "verified_type", "verified_quantity", "matches", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PotentialVerification)
class PotentialVerificationAdmin(ServiceRefusals, ScopedAdmin):
    """A new verification is entered in two steps: choose the warehouse and save, then the form
    shows a row for each of its declared stock lines to fill in with what was found (opening the
    add page with `?facility=<id>` shows them at once). The warehouse is fixed afterwards."""

    list_display = ["facility", "verified_on", "location_matches", "types_match", "quantities_match"]
    list_filter = ["location_matches", "types_match", "quantities_match"]
    list_select_related = ["facility"]
    search_fields = ["facility__name", "discrepancies"]
    autocomplete_fields = ["facility"]
    readonly_fields = ["verified_by", "types_match", "quantities_match"]
    date_hierarchy = "verified_on"
    inlines = [VerificationLineInline]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "facility"] if obj is not None else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # the lines are entered as rows of the add form

    def _declared_stocks(self, request):
        pk = request.POST.get("facility") or request.GET.get("facility")
        if not pk or not str(pk).isdigit():
            return []
        warehouse = Facility.objects.visible_to(request.user).warehouses().filter(pk=pk).first()
        return list(warehouse.stocks.order_by("material_type")) if warehouse else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = verification_admin_form(self._declared_stocks(request))
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            services.potential_verification_update(
                verification=obj,
                by=request.user,
                verified_on=obj.verified_on,
                location_matches=obj.location_matches,
                discrepancies=obj.discrepancies,
            )
            return
        created = services.potential_verification_record(
            facility=obj.facility,
            verified_on=obj.verified_on,
            by=request.user,
            location_matches=obj.location_matches,
            discrepancies=obj.discrepancies,
            lines=form.found_lines(),
        )
        obj.pk = created.pk
        obj._state.adding = False


@admin.register(VerificationLine)
class VerificationLineAdmin(ScopedAdmin):
    list_display = ["verification", "declared_type", "declared_quantity", "verified_quantity", "matches"]
    list_filter = ["matches"]
    list_select_related = ["verification__facility"]
    search_fields = ["verification__facility__name", "declared_type", "verified_type"]
    readonly_fields = [
        "verification", "stock", "declared_type", "declared_quantity", "verified_type", "verified_quantity",
        "type_matches", "quantity_matches", "matches", "note",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
