"""Admin of the inspections app. Workflow steps go through the services; stored photos and videos
are shown through the protected portal URL only (MEDIA is not routed publicly)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization.admin_base import ScopedAdmin, ScopedInline

from . import services
from .models import (
    EvaluationFollowUp,
    Facility,
    InspectionMedia,
    InspectionReport,
    MaterialStock,
    PotentialVerification,
    Rectification,
    RectificationEvidence,
    TeamEvaluation,
    VerificationLine,
)

MEDIA_ROUTES = {InspectionMedia: "portal:inspections-media", RectificationEvidence: "portal:inspections-evidence"}


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


def _run(modeladmin, request, queryset, service, done, **kwargs):
    for obj in queryset:
        try:
            service(by=request.user, **{modeladmin.service_arg: obj}, **kwargs)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {'; '.join(exc.messages)}", messages.ERROR)
        else:
            modeladmin.message_user(request, done % {"obj": obj}, messages.SUCCESS)


@admin.register(InspectionReport)
class InspectionReportAdmin(ScopedAdmin):
    service_arg = "report"
    list_display = ["facility", "inspector", "inspected_on", "status", "severity"]
    list_filter = ["status", "severity", "facility__kind"]
    list_select_related = ["facility", "inspector"]
    search_fields = ["facility__name", "findings"]
    date_hierarchy = "inspected_on"
    readonly_fields = [
        "facility", "inspector", "status", "inspected_on", "checklist", "findings", "severity",
        "submitted_at", "reviewed_by", "reviewed_at",
    ]  # fmt: skip
    inlines = [InspectionMediaInline]
    actions = ["review"]

    def has_add_permission(self, request):
        return False  # reports are filed from the portal or the API, with their files checked

    @admin.action(description=_("Mark reviewed"), permissions=["review"])
    def review(self, request, queryset):
        _run(self, request, queryset, services.report_review, gettext("%(obj)s: reviewed."))

    def has_review_permission(self, request):
        return request.user.has_perm("inspections.review_inspectionreport")


@admin.register(Rectification)
class RectificationAdmin(ScopedAdmin):
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
    list_display = ["item", "evaluation", "owner", "deadline", "done"]
    list_filter = ["done"]
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
class PotentialVerificationAdmin(ScopedAdmin):
    list_display = ["facility", "verified_on", "location_matches", "types_match", "quantities_match"]
    list_filter = ["location_matches", "types_match", "quantities_match"]
    list_select_related = ["facility"]
    search_fields = ["facility__name", "discrepancies"]
    autocomplete_fields = ["facility"]
    readonly_fields = ["verified_by", "types_match", "quantities_match"]
    date_hierarchy = "verified_on"
    inlines = [VerificationLineInline]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # Recorded through the service: each declared stock line found as declared unless the API says otherwise.
        created = services.potential_verification_record(
            facility=obj.facility,
            verified_on=obj.verified_on,
            by=request.user,
            location_matches=obj.location_matches,
            discrepancies=obj.discrepancies,
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
