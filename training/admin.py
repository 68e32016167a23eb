from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization.admin_base import ScopedAdmin, ScopedInline
from mobilization.roles import may_change_grade_thresholds

from . import selectors, services
from .choices import AttendanceStatusChoices, RateDimensionChoices
from .models import (
    AlarmTestDrill,
    Assessment,
    Attendance,
    Competition,
    Exercise,
    GradeThresholds,
    PlanItem,
    TrainingPlan,
)


def _errors(exc):
    return "; ".join(exc.messages)


@admin.register(GradeThresholds)
class GradeThresholdsAdmin(ScopedAdmin):
    list_display = ["year", "excellent_min", "good_min", "pass_min", "participation_target", "excellent_target"]
    search_fields = ["year"]

    # Thresholds apply to every office: others see them read-only (the service refuses them too).
    def has_add_permission(self, request):
        return super().has_add_permission(request) and may_change_grade_thresholds(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_change_grade_thresholds(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_change_grade_thresholds(request.user)

    def save_model(self, request, obj, form, change):
        services.grade_thresholds_save(thresholds=obj, by=request.user)

    def delete_model(self, request, obj):
        services.grade_thresholds_delete(thresholds=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for thresholds in queryset:
            services.grade_thresholds_delete(thresholds=thresholds, by=request.user)


class PlanItemInline(ScopedInline):
    model = PlanItem
    fields = ["subject", "planned_month", "hours", "team_types", "teams", "notes"]
    autocomplete_fields = ["team_types", "teams"]


@admin.register(TrainingPlan)
class TrainingPlanAdmin(ScopedAdmin):
    list_display = ["title", "office", "year", "status", "items_planned", "items_held"]
    list_filter = ["year", "status"]
    list_select_related = ["office"]
    search_fields = ["title"]
    readonly_fields = ["status", "approved_by", "approved_at"]
    autocomplete_fields = ["office"]
    inlines = [PlanItemInline]
    actions = ["approve"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress()

    @admin.display(description=_("items planned"), ordering="items_planned")
    def items_planned(self, obj):
        return obj.items_planned

    @admin.display(description=_("items held"), ordering="items_held")
    def items_held(self, obj):
        return obj.items_held

    @admin.action(description=_("Approve the selected plans"), permissions=["approve"])
    def approve(self, request, queryset):
        for plan in queryset:
            try:
                services.training_plan_approve(plan=plan, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{plan}: {_errors(exc)}", messages.ERROR)

    def has_approve_permission(self, request):
        return request.user.has_perm("training.approve_trainingplan")


@admin.register(PlanItem)
class PlanItemAdmin(ScopedAdmin):
    list_display = ["subject", "plan", "planned_month", "hours"]
    list_filter = ["planned_month"]
    list_select_related = ["plan"]
    search_fields = ["subject", "plan__title"]
    autocomplete_fields = ["plan", "team_types", "teams"]


class AttendanceInline(ScopedInline):
    """Attendance of an exercise, entered in bulk: one row per expected person."""

    model = Attendance
    fields = ["person", "team", "status", "note"]
    readonly_fields = ["person", "team"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "team")


class AssessmentInline(ScopedInline):
    model = Assessment
    fields = ["team", "score", "grade", "remarks"]
    readonly_fields = ["grade"]
    autocomplete_fields = ["team"]


@admin.register(Exercise)
class ExerciseAdmin(ScopedAdmin):
    list_display = ["title", "level", "kind", "office", "start_date", "status", "present_count", "expected_count"]
    list_filter = ["level", "kind", "status"]
    list_select_related = ["office"]
    search_fields = ["title", "subject", "location"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["office", "teams", "units", "plan_item", "competition", "drill"]
    inlines = [AttendanceInline, AssessmentInline]
    actions = ["expect_attendance"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            return queryset  # an exercise picked by name needs no counts
        # Sorted (perhaps by a count): the counts in the SQL of every row; otherwise read for the
        # page's rows only, so a deep page of the changelist costs what the first costs.
        if "o" in request.GET:
            return queryset.with_attendance()
        return queryset.with_page_attendance()

    @admin.display(description=_("present"), ordering="present_count")
    def present_count(self, obj):
        return obj.present_count

    @admin.display(description=_("expected"), ordering="expected_count")
    def expected_count(self, obj):
        return obj.expected_count

    def save_related(self, request, form, formsets, change):
        # Teams are saved with the related objects: the expected attendees follow them.
        form.save_m2m()
        services.exercise_expect_attendance(exercise=form.instance)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if isinstance(obj, Assessment):
                obj.assessor = obj.assessor or request.user
                obj.save()
            else:
                services.attendance_save(attendance=obj, by=request.user)
        for obj in formset.deleted_objects:
            obj.delete()

    @admin.action(description=_("List the expected attendees of the selected exercises"), permissions=["change"])
    def expect_attendance(self, request, queryset):
        for exercise in queryset:
            services.exercise_expect_attendance(exercise=exercise)


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdmin):
    """Attendance rows; the status column is editable in the list, for bulk entry."""

    list_display = ["person", "team", "exercise", "status", "note"]
    list_editable = ["status", "note"]
    list_filter = ["status", "exercise__kind"]
    list_select_related = ["person", "team", "exercise"]
    search_fields = ["person__name", "exercise__title", "team__name"]
    autocomplete_fields = ["exercise", "person", "team"]
    readonly_fields = ["recorded_by", "recorded_at"]  # set by the service when a status is recorded
    actions = ["mark_present", "mark_absent", "mark_excused"]

    def save_model(self, request, obj, form, change):
        services.attendance_save(attendance=obj, by=request.user)

    def _mark(self, request, queryset, status):
        by_exercise = {}
        for exercise_id, person_id in queryset.values_list("exercise_id", "person_id"):
            by_exercise.setdefault(exercise_id, []).append({"person": person_id, "status": status})
        for exercise in Exercise.objects.filter(pk__in=list(by_exercise)):
            services.attendance_record(exercise=exercise, entries=by_exercise[exercise.pk], by=request.user)

    @admin.action(description=_("Mark the selected as present"), permissions=["change"])
    def mark_present(self, request, queryset):
        self._mark(request, queryset, AttendanceStatusChoices.PRESENT)

    @admin.action(description=_("Mark the selected as absent"), permissions=["change"])
    def mark_absent(self, request, queryset):
        self._mark(request, queryset, AttendanceStatusChoices.ABSENT)

    @admin.action(description=_("Mark the selected as excused"), permissions=["change"])
    def mark_excused(self, request, queryset):
        self._mark(request, queryset, AttendanceStatusChoices.EXCUSED)


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    """Assessments; "rates" shows participation, good-or-better and excellent rates against the targets."""

    list_display = ["team", "exercise", "score", "grade", "assessor"]
    list_filter = ["grade", "exercise__level"]
    list_select_related = ["team", "exercise", "assessor"]
    search_fields = ["team__name", "exercise__title"]
    autocomplete_fields = ["exercise", "team"]
    readonly_fields = ["grade", "assessor"]

    def save_model(self, request, obj, form, change):
        obj.assessor = obj.assessor or request.user
        obj.full_clean()
        obj.save()

    def get_urls(self):
        rates = path("rates/", self.admin_site.admin_view(self.rates_view), name="training_assessment_rates")
        return [rates, *super().get_urls()]

    def rates_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        by = request.GET.get("by") if request.GET.get("by") in RateDimensionChoices.values else "team"
        year = request.GET.get("year")
        year = int(year) if year and year.isdigit() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Participation and grade rates"),
            "table": selectors.rates_table(user=request.user, by=by, year=year),
            "dimensions": RateDimensionChoices.choices,
            "by": by,
            "year": year or "",
        }
        return TemplateResponse(request, "admin/training/rates.html", context)

    def changelist_view(self, request, extra_context=None):
        extra = {"rates_url": reverse("admin:training_assessment_rates"), **(extra_context or {})}
        return super().changelist_view(request, extra)


class StageInline(ScopedInline):
    """The competition's stages: its exercises, in order."""

    model = Exercise
    fk_name = "competition"
    fields = ["stage", "title", "start_date", "status"]
    readonly_fields = fields
    can_delete = False
    verbose_name = _("stage")
    verbose_name_plural = _("stages")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Competition)
class CompetitionAdmin(ScopedAdmin):
    """Competitions with their stages; the change page shows the standings as the user may see
    them (ranked among every team, rows of the visible teams only: the selector the API uses)."""

    list_display = ["name", "year", "office"]
    list_filter = ["year"]
    list_select_related = ["office"]
    search_fields = ["name"]
    autocomplete_fields = ["office"]
    inlines = [StageInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The standings depend on who asks: they are rendered below the form, with the request.
        competition = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if competition is not None:
            extra["standings"] = selectors.competition_standings(competition=competition, user=request.user)["overall"]
        return super().change_view(request, object_id, form_url, extra)


@admin.register(AlarmTestDrill)
class AlarmTestDrillAdmin(ScopedAdmin):
    list_display = ["title", "region", "scheduled_at", "reminder_days", "report_link"]
    list_filter = ["year"]
    list_select_related = ["region"]
    search_fields = ["title"]
    autocomplete_fields = ["region", "teams", "units"]
    actions = ["send_due_reminders"]

    @admin.display(description=_("report"))
    def report_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("portal:training-drill", args=[obj.pk]), gettext("Who took part")
        )

    @admin.action(description=_("Send the reminders due today (nobody gets one twice)"), permissions=["change"])
    def send_due_reminders(self, request, queryset):
        created = 0
        for drill in queryset.select_related("region"):
            created += sum(n for _d, _l, n in services.drill_reminders_send_due(drills=[drill]))
        self.message_user(request, gettext("%(n)s new notifications.") % {"n": created})
