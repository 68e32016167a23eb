import copy

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobilization.admin_base import ScopedAdmin, ScopedInline

from . import services
from .choices import TeamStatusChoices
from .forms import ActivationOrderForm, CalloutForm
from .models import (
    Activation,
    ActivationTeam,
    Equipment,
    EquipmentItem,
    StandbyDuty,
    Team,
    TeamCategory,
    TeamType,
    TypeEquipmentRequirement,
    TypeQualificationRequirement,
)
from .selectors.board import activation_board


@admin.register(TeamCategory)
class TeamCategoryAdmin(ScopedAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]


class TypeQualificationRequirementInline(ScopedInline):
    model = TypeQualificationRequirement
    autocomplete_fields = ["kind"]


class TypeEquipmentRequirementInline(ScopedInline):
    model = TypeEquipmentRequirement
    autocomplete_fields = ["item"]


@admin.register(TeamType)
class TeamTypeAdmin(ScopedAdmin):
    list_display = ["name", "code", "category", "min_headcount"]
    list_filter = ["category"]
    list_select_related = ["category"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["category"]
    inlines = [TypeQualificationRequirementInline, TypeEquipmentRequirementInline]


class RequiredByTypeFilter(admin.SimpleListFilter):
    """Catalogue entries some team type requires (a shortfall makes its teams unready) or none
    does. A subclass names the requirement model and its foreign key to the catalogue."""

    title = _("required by a team type")
    parameter_name = "required"
    requirement_model = None
    requirement_field = None

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            required = self.requirement_model.objects.values(self.requirement_field)
            return queryset.filter(pk__in=required) if self.value() == "yes" else queryset.exclude(pk__in=required)
        return queryset


class EquipmentRequiredFilter(RequiredByTypeFilter):
    requirement_model = TypeEquipmentRequirement
    requirement_field = "item_id"


@admin.register(EquipmentItem)
class EquipmentItemAdmin(ScopedAdmin):
    list_display = ["name", "code", "unit"]
    list_filter = [EquipmentRequiredFilter, "unit"]
    search_fields = ["name", "code"]


@admin.register(TypeQualificationRequirement)
class TypeQualificationRequirementAdmin(ScopedAdmin):
    list_display = ["team_type", "kind", "min_share"]
    list_filter = ["team_type__category", "kind"]
    list_select_related = ["team_type", "kind"]
    search_fields = ["team_type__name", "kind__name"]
    autocomplete_fields = ["team_type", "kind"]


@admin.register(TypeEquipmentRequirement)
class TypeEquipmentRequirementAdmin(ScopedAdmin):
    list_display = ["team_type", "item", "min_quantity"]
    list_filter = ["team_type__category"]
    list_select_related = ["team_type", "item"]
    search_fields = ["team_type__name", "item__name"]
    autocomplete_fields = ["team_type", "item"]


class ReadyFilter(admin.SimpleListFilter):
    title = _("readiness")
    parameter_name = "ready"

    def lookups(self, request, model_admin):
        return [("yes", _("Ready")), ("no", _("Not ready"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(ready=self.value() == "yes")
        return queryset


class EquipmentInline(ScopedInline):
    model = Equipment
    autocomplete_fields = ["item"]
    fields = ["item", "quantity", "unit", "condition", "last_checked"]


class StandbyDutyInline(ScopedInline):
    model = StandbyDuty
    fields = ["start", "end", "officer_name", "officer_phone", "notes"]
    masked_phones = ("officer_phone",)


def readiness_html(readiness, *, compact=False):
    """A team's readiness as the admin shows it: a verdict, then the reasons. `compact` (a list's
    column) folds the reasons under the verdict: counted on the badge, listed on hover (title)
    or when opened, so a row stays one line high."""
    if readiness.ready:
        return format_html('<strong class="ready" style="color:#1a7f37">✔ {}</strong>', gettext("Ready"))
    verdict = format_html('<strong class="not-ready" style="color:#c62828">✘ {}</strong>', gettext("Not ready"))
    if not readiness.reasons:
        return verdict
    reasons = format_html_join("", "<li>{}</li>", ((r,) for r in readiness.reasons))
    if compact:
        return format_html(
            '<details class="reasons-compact" title="{}"><summary>{} <span class="reason-count">{}</span></summary>'
            '<ul class="reasons" style="margin:0;padding-left:1.2em;max-width:24em">{}</ul></details>',
            "\n".join(str(r) for r in readiness.reasons),
            verdict,
            len(readiness.reasons),
            reasons,
        )
    return format_html("{}<ul class='reasons'>{}</ul>", verdict, reasons)


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = [
        "name", "team_type", "level", "region", "unit", "authorised_strength", "headcount", "readiness_column", "status",
    ]  # fmt: skip
    list_filter = [ReadyFilter, "level", "status", "team_type__category", "team_type"]
    list_select_related = ["team_type", "team_type__category", "region", "unit"]
    search_fields = ["name", "unit__name", "duty_phone"]
    autocomplete_fields = ["team_type", "region", "unit"]
    readonly_fields = ["readiness_detail"]
    inlines = [EquipmentInline, StandbyDutyInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            return queryset  # a team picked by name needs no readiness computed for every match
        # Sorted or filtered by readiness: the live readiness of every row, annotated in one query
        # (plus a fixed few for the page); otherwise computed for the page's rows only.
        if ReadyFilter.parameter_name in request.GET or "o" in request.GET:
            return queryset.with_readiness()
        return queryset.with_page_readiness()

    @admin.display(description=_("headcount"), ordering="current_headcount")
    def headcount(self, team):
        return team.current_headcount

    @admin.display(description=_("readiness"), ordering="ready")
    def readiness_column(self, team):
        return readiness_html(team.readiness, compact=True)

    @admin.display(description=_("readiness"))
    def readiness_detail(self, team):
        if team is None or team.pk is None:
            return "—"
        r = team.readiness
        lines = [
            gettext(
                "Headcount %(headcount)d (fit for duty %(fit)d); authorised %(strength)d, type minimum %(minimum)d."
            )
            % {
                "headcount": r.headcount,
                "fit": r.fit_headcount,
                "strength": r.authorised_strength,
                "minimum": r.min_headcount,
            },
            *r.warnings,
        ]
        return format_html(
            "{}<ul>{}</ul>", readiness_html(r), format_html_join("", "<li>{}</li>", ((line,) for line in lines))
        )


@admin.register(Equipment)
class EquipmentAdmin(ScopedAdmin):
    list_display = ["team", "item", "quantity", "unit", "condition", "last_checked"]
    list_filter = ["condition", "team__level", "item"]
    list_select_related = ["team", "item"]
    search_fields = ["team__name", "item__name"]
    autocomplete_fields = ["team", "item"]


@admin.register(StandbyDuty)
class StandbyDutyAdmin(ScopedAdmin):
    list_display = ["team", "start", "end", "officer_name", "officer_phone"]
    masked_phones = ("officer_phone",)
    list_filter = ["team__level"]
    list_select_related = ["team"]
    search_fields = ["team__name", "officer_name"]
    autocomplete_fields = ["team"]
    date_hierarchy = "start"


class ActivationTeamInline(ScopedInline):
    model = ActivationTeam
    fields = ["team", "notified_at", "acknowledged_at", "assembled_headcount"]
    readonly_fields = ["team", "notified_at", "acknowledged_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # teams are called out by the order itself (and notified then)


def _run(modeladmin, request, queryset, service, done):
    for activation in queryset:
        try:
            service(activation=activation, by=request.user)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{activation}: {'; '.join(exc.messages)}", messages.ERROR)
        else:
            modeladmin.message_user(request, done % {"activation": activation}, messages.SUCCESS)


@admin.register(Activation)
class ActivationAdmin(ScopedAdmin):
    list_display = ["title", "region", "status", "ordered_at", "ordered_by", "board_links"]
    list_filter = ["status"]
    list_select_related = ["region", "ordered_by"]
    search_fields = ["title", "reason"]
    autocomplete_fields = ["region"]
    date_hierarchy = "ordered_at"
    readonly_fields = ["status", "ordered_by", "ordered_at", "stood_down_at", "board_links"]
    actions = ["deploy", "stand_down"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            form = super().get_form(request, obj, change, form=ActivationOrderForm, **kwargs)
            # The field object is shared by every form class made from ActivationOrderForm: a copy
            # keeps one user's scope out of another's concurrent request.
            teams = copy.deepcopy(form.base_fields["teams"])
            teams.queryset = Team.objects.visible_to(request.user).select_related("region")
            # A city holds hundreds of teams: they are searched by name, not listed in full.
            teams.widget = AutocompleteSelectMultiple(Activation._meta.get_field("teams"), self.admin_site)
            form.base_fields = {**form.base_fields, "teams": teams}
            return form
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["title", "reason", "region", "teams"]
        return [
            "title", "reason", "region", "status", "ordered_by", "ordered_at", "stood_down_at", "is_test",
            "remind_after_minutes", "escalate_after_minutes", "board_links",
        ]  # fmt: skip

    def get_inlines(self, request, obj):
        return [ActivationTeamInline] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # A new order goes through the service, which calls the teams out and notifies them.
        created = services.activation_order(
            title=obj.title, reason=obj.reason, region=obj.region, teams=form.cleaned_data["teams"], by=request.user
        )
        obj.pk, obj.ordered_by, obj.ordered_at, obj.status = (
            created.pk,
            created.ordered_by,
            created.ordered_at,
            created.status,
        )
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/board/", view(self.board_view), name="teams_activation_board"),
            path("<int:pk>/callout/", view(self.callout_view), name="teams_activation_callout"),
            *super().get_urls(),
        ]

    def _activation(self, request, pk):
        activation = self.get_queryset(request).filter(pk=pk).first()
        if activation is None:
            raise Http404
        return activation

    def board_view(self, request, pk):
        activation = self._activation(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "activation": activation,
            "board": activation_board(activation=activation, user=request.user),
            "board_url": reverse("api:activation-board", args=[pk]),
            "export_url": reverse("api:activation-board-export", args=[pk]),
        }
        return TemplateResponse(request, "admin/teams/activation/board.html", context)

    def callout_view(self, request, pk):
        activation = self._activation(request, pk)
        if not self.has_change_permission(request, activation):
            raise PermissionDenied
        form = CalloutForm(request.POST or None)
        form.fields["teams"].queryset = Team.objects.visible_to(request.user).filter(status=TeamStatusChoices.ACTIVE)
        if request.method == "POST" and form.is_valid():
            try:
                called = services.callout_people(activation=activation, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, gettext("%(n)d people called out.") % {"n": called}, messages.SUCCESS)
                return redirect("admin:teams_activation_board", pk=pk)
        context = {**self.admin_site.each_context(request), "activation": activation, "form": form}
        return TemplateResponse(request, "admin/teams/activation/callout.html", context)

    @admin.display(description=_("call-out"))
    def board_links(self, obj):
        return format_html(
            '<a href="{}" data-testid="board-link">{}</a> · <a href="{}" data-testid="callout-link">{}</a>',
            reverse("admin:teams_activation_board", args=[obj.pk]),
            gettext("Response board"),
            reverse("admin:teams_activation_callout", args=[obj.pk]),
            gettext("Call out people"),
        )

    @admin.action(description=_("Mark deployed"), permissions=["change"])
    def deploy(self, request, queryset):
        _run(self, request, queryset, services.activation_deploy, gettext("%(activation)s: deployed."))

    @admin.action(description=_("Stand down"), permissions=["change"])
    def stand_down(self, request, queryset):
        _run(self, request, queryset, services.activation_stand_down, gettext("%(activation)s: stood down."))


@admin.register(ActivationTeam)
class ActivationTeamAdmin(ScopedAdmin):
    list_display = ["activation", "team", "notified_at", "acknowledged_at", "assembled_headcount"]
    list_filter = ["activation__status", ("acknowledged_at", admin.EmptyFieldListFilter)]
    list_select_related = ["activation", "team"]
    search_fields = ["activation__title", "team__name"]
    readonly_fields = ["activation", "team", "notified_at", "acknowledged_at", "acknowledged_by"]
    actions = ["acknowledge"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Acknowledge the call-out"), permissions=["acknowledge"])
    def acknowledge(self, request, queryset):
        for callout in queryset.select_related("activation", "team"):
            try:
                services.activation_acknowledge(activation=callout.activation, team=callout.team, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{callout}: {'; '.join(exc.messages)}", messages.ERROR)

    def has_acknowledge_permission(self, request):
        return request.user.has_perm("teams.acknowledge_activationteam")
