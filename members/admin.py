"""The roster in the admin, for office staff (and read-only for the military liaison):
masked ID numbers with an audited reveal button, search by full ID number through its hash,
change requests with their diff and approve/reject, spreadsheet import and export, and the
bulk extension of a qualification kind."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mobilization import jobs
from mobilization.admin_base import ScopedAdmin, ScopedInline
from mobilization.crypto import keyed_hashes
from mobilization.roles import may_reveal_id_number
from mobilization.validators import ID_PATTERN, normalize_id_number, validate_id_number
from teams.admin import RequiredByTypeFilter
from teams.models import TypeQualificationRequirement

from . import rosterfile, services
from .forms import QualificationKindExtendForm, RosterUploadForm
from .models import Membership, Person, Qualification, QualificationKind, RosterChange, RosterChangeItem
from .presentation import diff_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class KindRequiredFilter(RequiredByTypeFilter):
    """Kinds some team type requires (their lapse makes teams unready) or none does."""

    requirement_model = TypeQualificationRequirement
    requirement_field = "kind_id"


@admin.register(QualificationKind)
class QualificationKindAdmin(ScopedAdmin):
    list_display = ["code", "name"]
    list_filter = [KindRequiredFilter]
    search_fields = ["code", "name"]
    actions = ["extend"]

    @admin.action(description=gettext_lazy("Extend the valid qualifications of the selected kinds"))
    def extend(self, request, queryset):
        if not request.user.has_perm("members.change_qualification"):
            raise PermissionDenied
        form = QualificationKindExtendForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            total = 0
            try:
                for kind in queryset:
                    total += services.qualification_kind_extend(
                        kind=kind, by=request.user, request=request, **form.cleaned_data
                    )
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                return None
            self.message_user(request, _("%(n)d qualifications extended.") % {"n": total})
            return None
        context = {**self.admin_site.each_context(request), "form": form, "kinds": queryset, "opts": self.model._meta}
        return TemplateResponse(request, "admin/members/qualificationkind/extend.html", context)


class QualificationInline(ScopedInline):
    model = Qualification
    fields = ["kind", "number", "issued", "expires"]
    autocomplete_fields = ["kind"]


class MembershipInline(ScopedInline):
    model = Membership
    fields = ["team", "role", "joined", "left"]
    autocomplete_fields = ["team"]


class PersonAdminForm(forms.ModelForm):
    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        required=False,
        max_length=18,
        help_text=gettext_lazy("Stored encrypted and shown masked; leave empty to keep the current number."),
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "phone",
            "employer",
            "specialty",
            "physical_condition",
            "political_status",
            "veteran",
            "emergency_contact_name",
            "emergency_contact_phone",
            "unavailable_until",
            "unavailable_reason",
            "unavailable_note",
        ]

    def clean(self):
        data = super().clean()
        if data.get("unavailable_until") and not data.get("unavailable_reason"):
            self.add_error("unavailable_reason", _("Choose why the person is unavailable."))
        return data

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data.get("id_number"))
        if not value:
            if self.instance.pk is None:
                raise ValidationError(_("This field is required."))
            return ""
        validate_id_number(value)
        if Person.objects.by_id_number(value).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("A person with this ID number is already on the roster."))
        return value


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    form = PersonAdminForm
    list_display = ["name", "id_number_masked", "sex", "birth_year", "phone", "employer", "physical_condition"]
    list_filter = ["sex", "physical_condition", "political_status", "veteran"]
    list_select_related = ["employer"]
    search_fields = ["name"]
    autocomplete_fields = ["employer"]
    search_help_text = gettext_lazy("Name, a whole mobile number, or a full 18-character ID number.")
    inlines = [MembershipInline, QualificationInline]
    AVAILABILITY = ("unavailable_until", "unavailable_reason", "unavailable_note")
    fields = [
        "name",
        "id_number",
        "id_number_masked",
        "birth_year",
        "sex",
        "phone",
        "employer",
        "specialty",
        "physical_condition",
        "political_status",
        "veteran",
        "emergency_contact_name",
        "emergency_contact_phone",
        *AVAILABILITY,
    ]
    readonly_fields = ["id_number_masked", "birth_year", "sex"]
    masked_phones = ("phone", "emergency_contact_phone")
    never_shown = ("id_number_encrypted", "id_number_hash")
    actions = ["export_xlsx"]
    change_form_template = "admin/members/person/change_form.html"
    change_list_template = "admin/members/person/change_list.html"

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj) and not (obj is None and self.has_add_permission(request)):
            fields = [f for f in fields if f != "id_number"]
        return fields

    def get_search_results(self, request, queryset, search_term):
        term = normalize_id_number(search_term)
        if ID_PATTERN.match(term):
            return queryset.filter(id_number_hash__in=keyed_hashes(term)), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in form.cleaned_data if f != "id_number" and hasattr(obj, f)}
        availability = {f: values.pop(f, None) for f in self.AVAILABILITY}
        id_number = form.cleaned_data.get("id_number") or None
        if change:
            services.person_update(person=obj, by=request.user, id_number=id_number, **values)
        else:
            created = services.person_create(by=request.user, id_number=id_number, **values)
            obj.pk = obj.id = created.pk
            obj._state.adding = False
        if set(self.AVAILABILITY) & set(form.changed_data):
            # Availability goes through its own service: validated and audited like the API's.
            services.person_set_availability(
                person=obj,
                available=availability["unavailable_until"] is None,
                until=availability["unavailable_until"],
                reason=availability["unavailable_reason"] or "",
                note=availability["unavailable_note"] or "",
                by=request.user,
                request=request,
            )

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/reveal/", self.admin_site.admin_view(self.reveal_view), name="members_person_reveal"
            ),
            path("export/", self.admin_site.admin_view(self.export_view), name="members_person_export"),
        ]
        return urls + super().get_urls()

    def reveal_view(self, request, object_id):
        person = self.get_object(request, object_id)
        if person is None:
            raise Http404
        if request.method != "POST" or not may_reveal_id_number(request.user):
            raise PermissionDenied
        number = services.person_reveal_id_number(person=person, by=request.user, request=request)
        context = {
            **self.admin_site.each_context(request),
            "person": person,
            "id_number": number,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/members/person/reveal.html", context)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        content = services.roster_export_workbook(by=request.user, request=request)
        return _xlsx(content, f"roster-{timezone.localdate():%Y%m%d}.xlsx")

    @admin.action(description=gettext_lazy("Export the selected persons to .xlsx"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        content = services.roster_export_workbook(by=request.user, request=request, queryset=queryset)
        return _xlsx(content, f"roster-{timezone.localdate():%Y%m%d}.xlsx")

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_reveal"] = obj is not None and may_reveal_id_number(request.user)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["person", "team", "role", "joined", "left"]
    list_filter = ["role"]
    list_select_related = ["person", "team"]
    search_fields = ["person__name", "team__name"]
    autocomplete_fields = ["person", "team"]


@admin.register(Qualification)
class QualificationAdmin(ScopedAdmin):
    list_display = ["person", "kind", "number", "issued", "expires"]
    list_filter = ["kind"]
    list_select_related = ["person", "kind"]
    search_fields = ["person__name", "number"]
    autocomplete_fields = ["person", "kind"]
    date_hierarchy = "expires"


class RosterChangeItemInline(ScopedInline):
    model = RosterChangeItem
    fields = ["row", "action", "id_number_masked", "team", "person"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RosterChange)
class RosterChangeAdmin(ScopedAdmin):
    list_display = ["__str__", "unit", "status", "source", "submitted_by", "created", "decided_by", "decided_at"]
    list_filter = ["status", "source"]
    list_select_related = ["unit", "submitted_by", "decided_by"]
    search_fields = ["unit__name", "note", "file_name"]
    fields = ["unit", "submitted_by", "source", "file_name", "note", "status", "decided_by", "decided_at", "reason"]
    readonly_fields = fields
    change_form_template = "admin/members/rosterchange/change_form.html"
    change_list_template = "admin/members/rosterchange/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="members_rosterchange_import"),
            path("import/<str:job_id>/", view(self.import_job_view), name="members_rosterchange_import_job"),
            path("template/", view(self.template_view), name="members_rosterchange_template"),
            path("<path:object_id>/decide/", view(self.decide_view), name="members_rosterchange_decide"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = self.get_object(request, object_id)
        if change is None:
            raise Http404
        page, diff = diff_page(change, request.user, request.GET.get("diff_page"))
        extra_context = {
            **(extra_context or {}),
            "diff": diff,
            "diff_page": page,
            "can_decide": change.is_pending and request.user.has_perm("members.decide_rosterchange"),
            "decide_url": reverse("admin:members_rosterchange_decide", args=[change.pk]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, object_id):
        change = self.get_object(request, object_id)
        if change is None:
            raise Http404
        if request.method != "POST" or not request.user.has_perm("members.decide_rosterchange"):
            raise PermissionDenied
        reason = request.POST.get("reason", "")
        try:
            if "approve" in request.POST:
                services.roster_change_approve(change=change, by=request.user, reason=reason, request=request)
                self.message_user(request, _("The change request was approved and applied."))
            else:
                services.roster_change_reject(change=change, by=request.user, reason=reason)
                self.message_user(request, _("The change request was rejected."))
        except (ValidationError, services.RosterChanged) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(request, message, messages.ERROR)
        return redirect("admin:members_rosterchange_change", change.pk)

    def import_job_view(self, request, job_id):
        """An import's progress while it runs, its bad rows if it failed; once done, its request."""
        job = jobs.job_for(job_id, request.user, task=services.IMPORT_TASK)
        if job is None:
            raise Http404
        if job["state"] == "done":
            self.message_user(request, _("The file was accepted as a pending change request."))
            return redirect("admin:members_rosterchange_change", job["change"])
        context = {**self.admin_site.each_context(request), "job": job, "opts": self.model._meta}
        return TemplateResponse(request, "admin/members/rosterchange/import_job.html", context)

    def template_view(self, request):
        return _xlsx(rosterfile.workbook_bytes(rosterfile.template_workbook()), "roster-template.xlsx")

    def import_view(self, request):
        """Office staff upload a roster file for a unit: the same validation as the portal, and the
        result is a pending request they then approve on its page (so every roster change, whoever
        uploads it, is one reviewable, revertible request with a diff)."""
        if not request.user.has_perm("members.add_rosterchange"):
            raise PermissionDenied
        bound = request.method == "POST"
        form = RosterUploadForm(
            request.POST if bound else None, request.FILES if bound else None, user=request.user, with_unit=True
        )
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                job_id = services.roster_import_start(
                    by=request.user, upload=form.cleaned_data["file"], unit=form.cleaned_data["unit"]
                )
            except rosterfile.UploadRefused as exc:
                form.add_error("file", str(exc))
            else:
                services.roster_import_queue(job_id=job_id)
                job = jobs.job_progress(job_id)  # with Celery eager it has run: its bad rows show at once
                if job["state"] != "failed" or not job["errors"]:
                    return redirect("admin:members_rosterchange_import_job", job_id)  # progress, or the request
                errors = job["errors"]  # listed with the form, to import a corrected file
        context = {**self.admin_site.each_context(request), "form": form, "errors": errors, "opts": self.model._meta}
        return TemplateResponse(request, "admin/members/rosterchange/import.html", context)
