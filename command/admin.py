"""Admin of the command app. Workflow steps go through the services; the command log can be
appended to but no one — superusers included — changes or deletes an entry here."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization.admin_base import ScopedAdmin, ScopedInline

from . import services
from .models import (
    ActionPlan,
    CadreAttendance,
    CadreSession,
    CommandPosition,
    CommandPost,
    DutyShift,
    JointRecord,
    JointTask,
    JointTaskAssignment,
    JointTaskEvidence,
    LogEntry,
    MilitaryRequest,
    Official,
    PlanRequirement,
    PlanRevisionItem,
    RequestAttachment,
    RequestStage,
    SessionMaterial,
)
from .selectors import plan_gaps

FILE_ROUTES = {
    RequestAttachment: "portal:command-attachment",
    JointTaskEvidence: "portal:command-evidence",
    SessionMaterial: "portal:command-material",
}


def file_link(obj):
    if obj is None or obj.pk is None:
        return "—"
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>', reverse(FILE_ROUTES[type(obj)], args=[obj.pk]), obj
    )


def _run(modeladmin, request, queryset, step, done):
    """Apply a service to each selected row, reporting each refusal and the count done."""
    count = 0
    for obj in queryset:
        try:
            step(obj)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done % {"n": count}, messages.SUCCESS)


class _FileAdmin(ScopedAdmin):
    search_fields = ["content_type"]
    list_display = ["__str__", "download", "kind", "content_type", "size", "uploaded_by", "created"]
    list_filter = ["kind"]
    list_select_related = ["uploaded_by"]
    readonly_fields = ["download", "kind", "content_type", "size", "uploaded_by"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False  # files come in through the services, which check their content

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return file_link(obj)


class StageInline(ScopedInline):
    model = RequestStage
    fields = ["stage", "owner", "deadline", "notes", "completed_at", "completed_by", "escalation_level"]
    readonly_fields = ["stage", "completed_at", "completed_by", "escalation_level"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # a stage opens when the request moves on


@admin.register(MilitaryRequest)
class MilitaryRequestAdmin(ScopedAdmin):
    list_display = ["title", "region", "stage", "raised_by", "needed_by", "created"]
    list_filter = ["stage"]
    list_select_related = ["region", "raised_by"]
    search_fields = ["title", "description"]
    # Searchable pickers, scoped by each related admin: a city holds thousands of teams and facilities.
    autocomplete_fields = ["teams", "stocks", "facilities"]
    readonly_fields = ["stage", "raised_by", "closed_at"]
    inlines = [StageInline]
    actions = ["advance"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("teams", "stocks", "facilities")}
        saved = services.military_request_raise(by=request.user, **data)
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        form.instance = MilitaryRequest.objects.get(pk=form.instance.pk)
        super().save_related(request, form, formsets, change)

    @admin.action(description=_("Complete the current stage and move on"), permissions=["advance"])
    def advance(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda r: services.military_request_advance(request=r, by=request.user),
            gettext("%(n)d requests moved on."),
        )

    def has_advance_permission(self, request):
        return request.user.has_perm("command.advance_militaryrequest")


@admin.register(RequestStage)
class RequestStageAdmin(ScopedAdmin):
    search_fields = ["request__title", "notes"]
    list_display = ["__str__", "owner", "deadline", "completed_at", "escalation_level"]
    list_filter = ["stage"]
    list_select_related = ["request", "owner"]
    readonly_fields = ["request", "stage", "completed_at", "completed_by", "escalation_level"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        services.request_stage_update(stage=obj, by=request.user, **fields)


@admin.register(RequestAttachment)
class RequestAttachmentAdmin(_FileAdmin):
    pass


@admin.register(Official)
class OfficialAdmin(ScopedAdmin):
    list_display = ["name", "post_title", "organisation", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "post_title", "organisation"]


class PositionInline(ScopedInline):
    model = CommandPosition


class ShiftInline(ScopedInline):
    model = DutyShift


@admin.register(CommandPost)
class CommandPostAdmin(ScopedAdmin):
    list_display = ["name", "region", "activation", "exercise", "opened_at", "closed_at"]
    list_select_related = ["region", "activation", "exercise"]
    search_fields = ["name"]
    inlines = [PositionInline, ShiftInline]


@admin.register(CommandPosition)
class CommandPositionAdmin(ScopedAdmin):
    search_fields = ["official__name", "duties"]
    list_display = ["post", "position", "official", "duties"]
    list_filter = ["position"]
    list_select_related = ["post", "official"]


@admin.register(DutyShift)
class DutyShiftAdmin(ScopedAdmin):
    search_fields = ["official__name"]
    list_display = ["post", "official", "start", "end"]
    list_select_related = ["post", "official"]


@admin.register(LogEntry)
class LogEntryAdmin(ScopedAdmin):
    """Append-only: entries are added (by their author, timed now) and read; never changed or deleted."""

    list_display = ["__str__", "post", "kind", "author", "at", "corrects"]
    list_filter = ["kind"]
    list_select_related = ["post", "author", "corrects"]
    search_fields = ["text"]
    fields = ["post", "kind", "text", "corrects"]
    actions = None

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.command_log_append(
            post=data["post"], by=request.user, kind=data["kind"], text=data["text"], corrects=data.get("corrects")
        )
        obj.pk = saved.pk


class RequirementInline(ScopedInline):
    model = PlanRequirement


class RevisionInline(ScopedInline):
    model = PlanRevisionItem


@admin.register(ActionPlan)
class ActionPlanAdmin(ScopedAdmin):
    list_display = ["title", "region", "scenario", "version", "status", "approved_at"]
    list_filter = ["scenario", "status"]
    list_select_related = ["region"]
    search_fields = ["title"]
    readonly_fields = ["status", "approved_by", "approved_at", "gap_check"]
    autocomplete_fields = ["tested_by"]
    inlines = [RequirementInline, RevisionInline]
    actions = ["approve"]

    @admin.display(description=_("live gap check"))
    def gap_check(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        gaps = plan_gaps(obj)
        if not gaps:
            return gettext("Nothing is short now.")
        rows = format_html_join("", "<li>{}: {}</li>", ((g.target, "；".join(g.reasons)) for g in gaps))
        return format_html("<ul>{}</ul>", rows)

    @admin.action(description=_("Approve the selected drafts"), permissions=["approve"])
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda p: services.plan_approve(plan=p, by=request.user),
            gettext("%(n)d plans approved."),
        )

    def has_approve_permission(self, request):
        return request.user.has_perm("command.approve_actionplan")


@admin.register(PlanRequirement)
class PlanRequirementAdmin(ScopedAdmin):
    search_fields = ["note", "plan__title"]
    list_display = ["__str__", "plan", "min_ready_teams", "min_headcount", "min_quantity"]
    list_select_related = ["plan", "team_type", "team", "stock", "facility"]


@admin.register(PlanRevisionItem)
class PlanRevisionItemAdmin(ScopedAdmin):
    search_fields = ["finding", "owner"]
    list_display = ["__str__", "plan", "owner", "deadline", "done"]
    list_filter = ["done"]
    list_select_related = ["plan"]


class AssignmentInline(ScopedInline):
    model = JointTaskAssignment
    fields = ["district", "status", "claimed_by", "claimed_at", "report", "reported_at"]
    readonly_fields = ["status", "claimed_by", "claimed_at", "report", "reported_at"]


@admin.register(JointTask)
class JointTaskAdmin(ScopedAdmin):
    list_display = ["title", "region", "status", "office_owner", "military_owner", "deadline"]
    list_filter = ["status"]
    list_select_related = ["region", "office_owner", "military_owner"]
    search_fields = ["title"]
    readonly_fields = ["status", "office_signed_by", "office_signed_at", "military_signed_by", "military_signed_at"]
    inlines = [AssignmentInline]
    actions = ["sign"]

    @admin.action(description=_("Sign for my side"), permissions=["sign"])
    def sign(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda t: services.joint_task_sign(task=t, by=request.user),
            gettext("%(n)d tasks signed."),
        )

    def has_sign_permission(self, request):
        return request.user.has_perm("command.sign_jointtask")


@admin.register(JointTaskAssignment)
class JointTaskAssignmentAdmin(ScopedAdmin):
    search_fields = ["task__title", "report"]
    list_display = ["__str__", "status", "claimed_by", "reported_at"]
    list_filter = ["status"]
    list_select_related = ["task", "district", "claimed_by"]
    readonly_fields = ["status", "claimed_by", "claimed_at", "reported_at"]


@admin.register(JointTaskEvidence)
class JointTaskEvidenceAdmin(_FileAdmin):
    pass


@admin.register(JointRecord)
class JointRecordAdmin(ScopedAdmin):
    list_display = ["__str__", "region", "held_on", "office_signed_at", "military_signed_at"]
    list_filter = ["kind"]
    list_select_related = ["region"]
    search_fields = ["subject", "findings"]
    readonly_fields = ["office_signed_by", "office_signed_at", "military_signed_by", "military_signed_at"]
    actions = ["sign"]

    @admin.action(description=_("Sign for my side"), permissions=["sign"])
    def sign(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda r: services.joint_record_sign(record=r, by=request.user),
            gettext("%(n)d records signed."),
        )

    def has_sign_permission(self, request):
        return request.user.has_perm("command.sign_jointrecord")


class AttendanceInline(ScopedInline):
    model = CadreAttendance


@admin.register(CadreSession)
class CadreSessionAdmin(ScopedAdmin):
    list_display = ["title", "kind", "region", "held_on", "exercise", "plan"]
    list_filter = ["kind"]
    list_select_related = ["region", "exercise", "plan"]
    search_fields = ["title"]
    inlines = [AttendanceInline]


@admin.register(CadreAttendance)
class CadreAttendanceAdmin(ScopedAdmin):
    search_fields = ["official__name"]
    list_display = ["official", "session", "present", "score"]
    list_filter = ["present"]
    list_select_related = ["official", "session"]


@admin.register(SessionMaterial)
class SessionMaterialAdmin(_FileAdmin):
    search_fields = ["title"]
    list_display = ["__str__", "title", "download", "kind", "size", "uploaded_by", "created"]
