"""Portal pages of the roster, for member-unit liaisons on a phone: their roster, their change
requests (one at a time, or a spreadsheet upload with every bad row listed), template and export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobilization import jobs
from mobilization.dbrouter import replica_reads

from . import rosterfile, services
from .choices import RosterChangeSourceChoices
from .forms import AvailabilityForm, RosterItemForm, RosterUploadForm
from .masking import phone_for
from .models import Person, RosterChange
from .presentation import diff_page
from .selectors import memberships_current_by_person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required("members.view_person", raise_exception=True)
def roster(request):
    """The persons the user may see, with their current team; `?q=` searches names."""
    persons = Person.objects.visible_to(request.user).select_related("employer")
    if request.GET.get("q"):
        persons = persons.filter(name__icontains=request.GET["q"])
    page = Paginator(persons, 50).get_page(request.GET.get("page"))
    current = memberships_current_by_person(person_ids=[p.pk for p in page])
    rows = [(p, current.get(p.pk), phone_for(request.user, p.phone)) for p in page]
    context = {"page": page, "rows": rows, "q": request.GET.get("q", ""), "today": timezone.localdate()}
    return render(request, "portal/members/roster.html", context)


@replica_reads
@login_required
@permission_required("members.view_person", raise_exception=True)
def export(request):
    content = services.roster_export_workbook(by=request.user, request=request)
    return _xlsx(content, f"roster-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@permission_required("members.view_rosterchange", raise_exception=True)
def template(request):
    return _xlsx(rosterfile.workbook_bytes(rosterfile.template_workbook()), "roster-template.xlsx")


@login_required
@permission_required("members.view_rosterchange", raise_exception=True)
def changes(request):
    qs = RosterChange.objects.visible_to(request.user).select_related("unit", "submitted_by")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "portal/members/changes.html", {"page": page})


@login_required
@permission_required("members.view_rosterchange", raise_exception=True)
def change_detail(request, pk):
    change = get_object_or_404(RosterChange.objects.visible_to(request.user).select_related("unit"), pk=pk)
    page, diff = diff_page(change, request.user, request.GET.get("diff_page"))
    can_withdraw = change.is_pending and request.user.has_perm("members.add_rosterchange")
    context = {"change": change, "diff": diff, "diff_page": page, "can_withdraw": can_withdraw}
    return render(request, "portal/members/change.html", context)


@login_required
@permission_required("members.add_rosterchange", raise_exception=True)
@require_POST
def change_withdraw(request, pk):
    change = get_object_or_404(RosterChange.objects.visible_to(request.user), pk=pk)
    try:
        services.roster_change_withdraw(change=change, by=request.user)
        messages.success(request, _("The request was withdrawn."))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("portal:members-change", pk)


@login_required
@permission_required("members.add_rosterchange", raise_exception=True)
def upload(request):
    """Upload a roster file: its size and type are checked at once, then it is imported as a job
    (a page with a progress bar); every bad row is listed (row, column, reason), nothing is kept."""
    bound = request.method == "POST"
    form = RosterUploadForm(request.POST if bound else None, request.FILES if bound else None, user=request.user)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            job_id = services.roster_import_start(by=request.user, upload=form.cleaned_data["file"])
        except rosterfile.UploadRefused as exc:
            form.add_error("file", str(exc))
        else:
            services.roster_import_queue(job_id=job_id)
            job = jobs.job_progress(job_id)  # with Celery eager it has run: its bad rows show at once
            if job["state"] != "failed" or not job["errors"]:
                return redirect("portal:members-import", job_id)  # progress, or (done) the request
            errors = job["errors"]  # listed with the form, to upload a corrected file
    return render(request, "portal/members/upload.html", {"form": form, "errors": errors})


@login_required
@permission_required("members.add_rosterchange", raise_exception=True)
def import_job(request, job_id):
    """An import's progress while it runs, its bad rows if it failed; once done, its change request."""
    job = jobs.job_for(job_id, request.user, task=services.IMPORT_TASK)
    if job is None:
        raise Http404
    if job["state"] == "done":
        messages.success(
            request, _("Your file was accepted: request #%(id)s awaits the office's decision.") % {"id": job["change"]}
        )
        return redirect("portal:members-change", job["change"])
    form = RosterUploadForm(user=request.user) if job["state"] == "failed" else None
    return render(request, "portal/members/import_job.html", {"job": job, "form": form})


@login_required
@permission_required("members.add_rosterchange", raise_exception=True)
def propose(request, person_pk=None):
    """Propose one change from a phone: add a person by ID number, or (from the roster's link
    for a person, `person_pk`) edit or remove that person without their full ID number."""
    person = None
    if person_pk is not None:
        person = get_object_or_404(Person.objects.visible_to(request.user).select_related("employer"), pk=person_pk)
    data = request.POST if request.method == "POST" else None
    form = RosterItemForm(data, user=request.user, person=person)
    errors = []
    if request.method == "POST" and form.is_valid():
        labels = {name: str(field.label) for name, field in form.fields.items()}
        try:
            change = services.roster_change_submit(
                by=request.user,
                rows=[(1, form.row())],
                source=RosterChangeSourceChoices.FORM,
                note=form.cleaned_data["note"],
                column_names=labels,
            )
        except services.RosterRowsInvalid as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Request #%(id)s was sent to the office.") % {"id": change.pk})
            return redirect("portal:members-change", change.pk)
    return render(request, "portal/members/propose.html", {"form": form, "errors": errors, "person": person})


@login_required
@permission_required("members.set_availability_person", raise_exception=True)
def availability(request, person_pk):
    """The liaison marks a person of their roster available, or unavailable until a day."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_pk)
    initial = {"available": "0" if not person.is_available(timezone.localdate()) else "1"}
    initial |= {"until": person.unavailable_until, "reason": person.unavailable_reason, "note": person.unavailable_note}
    form = AvailabilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_set_availability(person=person, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Availability of %(name)s saved.") % {"name": person.name})
            return redirect("portal:members-roster")
    return render(request, "portal/members/availability.html", {"person": person, "form": form})
