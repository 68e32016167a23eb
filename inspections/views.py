"""Portal pages: the inspector's feedback form on a phone (with drafts), the director's review
and rectification loop, and the only way stored photos and videos are ever served."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mobilization.querysets import user_profile

from . import cycles, services
from .choices import MediaKindChoices, RectificationStatusChoices, ReportStatusChoices
from .forms import (
    FollowUpDoneForm,
    NoteForm,
    RectificationCompleteForm,
    RectificationIssueForm,
    RectificationReopenForm,
    ReportForm,
)
from .models import (
    EvaluationFollowUp,
    Facility,
    FollowUpEvidence,
    InspectionMedia,
    InspectionReport,
    Rectification,
    RectificationEvidence,
    VerificationLine,
)

__all__ = ["byte_range", "draft_key", "media_response"]


# One range of bytes: `a-b`, `a-` or the suffix `-n`. Anything else (several ranges, other units)
# is answered with the whole file, which RFC 9110 allows.
RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$")
CHUNK = 64 * 1024


class RangeNotSatisfiable(Exception):
    pass


def byte_range(header, size):
    """(first, last) inclusive for a Range header against a file of `size` bytes; None for the
    whole file; RangeNotSatisfiable when the range starts beyond the end."""
    match = RANGE.match(header or "")
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last n bytes
        length = int(last)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - length), size - 1
    first = int(first)
    if last and int(last) < first:
        return None  # not a valid range: ignored
    if first >= size:
        raise RangeNotSatisfiable
    return first, min(int(last), size - 1) if last else size - 1


def _read(handle, first, length):
    try:
        handle.seek(first)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _protect(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=600"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'"
    return response


def media_response(obj, request=None):
    """The stored file of a photo, video or document (already checked visible to the user), never
    cached publicly.

    A single byte range is served as 206: phones (iPhone Safari above all) play and seek a <video>
    only through range requests."""
    try:
        handle = obj.file.open("rb")
        size = obj.file.size
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    extension = obj.file.name.rsplit(".", 1)[-1]
    filename = f"{obj.kind}-{obj.pk}.{extension}"
    try:
        wanted = byte_range(request.headers.get("Range"), size) if request is not None else None
    except RangeNotSatisfiable:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return _protect(response)
    if obj.kind == MediaKindChoices.DOCUMENT:
        # A PDF may carry scripts: it is only ever a download, never shown in a page of this site.
        response = FileResponse(handle, content_type=obj.content_type, filename=filename, as_attachment=True)
    elif wanted is None:
        response = FileResponse(handle, content_type=obj.content_type, filename=filename)
    else:
        first, last = wanted
        response = StreamingHttpResponse(
            _read(handle, first, last - first + 1), status=206, content_type=obj.content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Accept-Ranges"] = "bytes"
    return _protect(response)


def draft_key(user, facility_id):
    """Where the phone keeps unsent entries: per user as well as per facility, since a grid's
    phone is often shared and one member's entries must not come back in another's form."""
    return f"inspections:draft:u{user.pk}:f{facility_id}"


def _error_messages(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _protected(request, model, pk):
    # Without the permission, or beyond scope, the file does not exist: 404 either way.
    if not request.user.has_perm(f"inspections.view_{model._meta.model_name}"):
        raise Http404
    return media_response(get_object_or_404(model.objects.visible_to(request.user), pk=pk), request)


@login_required
def media_file(request, pk):
    return _protected(request, InspectionMedia, pk)


@login_required
def evidence_file(request, pk):
    return _protected(request, RectificationEvidence, pk)


@login_required
def follow_up_evidence_file(request, pk):
    return _protected(request, FollowUpEvidence, pk)


@login_required
@permission_required("inspections.view_evaluationfollowup", raise_exception=True)
def follow_ups(request):
    """The unit's evaluation follow-ups: open ones first (with the form to report each done), then done."""
    items = (
        EvaluationFollowUp.objects.visible_to(request.user)
        .select_related("evaluation__team")
        .prefetch_related("evidence")
        .order_by("done", "deadline", "pk")
    )
    context = {
        "open": [i for i in items if not i.done][:100],
        "done": [i for i in items.filter(done=True).order_by("-done_on", "-pk")[:30]],
        "form": FollowUpDoneForm() if request.user.has_perm("inspections.report_evaluationfollowup") else None,
        "today": timezone.localdate(),
    }
    return render(request, "portal/inspections/follow_ups.html", context)


@login_required
@require_POST
@permission_required("inspections.report_evaluationfollowup", raise_exception=True)
def follow_up_done(request, pk):
    item = get_object_or_404(EvaluationFollowUp.objects.visible_to(request.user), pk=pk)
    form = FollowUpDoneForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("portal:inspections-follow-ups")
    try:
        services.follow_up_report_done(follow_up=item, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Reported done: %(item)s") % {"item": item.item})
    return redirect("portal:inspections-follow-ups")


@login_required
@permission_required("inspections.view_inspectionreport", raise_exception=True)
def home(request):
    """The inspector's own drafts and reports; for directors, what awaits them in the township."""
    user = request.user
    reports = InspectionReport.objects.visible_to(user).select_related("facility")
    context = {
        "can_file": user.has_perm("inspections.add_inspectionreport"),
        "map_url": reverse("portal:inspections-map") if user.has_perm("inspections.view_facility") else "",
    }
    if context["can_file"]:
        context["drafts"] = reports.drafts().filter(inspector=user)[:20]
        context["mine"] = reports.exclude(status=ReportStatusChoices.DRAFT).filter(inspector=user)[:20]
    if user.has_perm("inspections.review_inspectionreport"):
        context["awaiting"] = reports.awaiting_review()[:50]
    if user.has_perm("inspections.view_rectification"):
        orders = Rectification.objects.visible_to(user).select_related("facility")
        context["orders"] = orders.not_closed()[:50]
    return render(request, "portal/inspections/home.html", context)


@login_required
@permission_required("inspections.view_potentialverification", raise_exception=True)
def potential_accuracy(request):
    """Accuracy and freshness of the mobilisation-potential data, per region below the user's own."""
    profile = user_profile(request.user)
    code = profile.region_id if profile and profile.region_id else "370000000000"
    rows = VerificationLine.objects.visible_to(request.user).accuracy_by_region(
        code, today=timezone.localdate(), warehouses=Facility.objects.visible_to(request.user)
    )
    return render(request, "portal/inspections/potential.html", {"rows": rows})


def _user_region(user):
    profile = user_profile(user)
    return profile.region_id if profile and profile.region_id else "370000000000"


@login_required
@permission_required("inspections.view_facility", raise_exception=True)
def schedule(request):
    """Coverage of the current inspection cycles below the user's region, and the facilities due and
    overdue, grouped by grid (the inspector's own grid, the director's workstation, an office's area)."""
    today = timezone.localdate()
    level = request.GET.get("level")
    level = level if level in cycles.LEVEL_DIGITS else None
    rows = cycles.schedule(Facility.objects.visible_to(request.user), today)
    grids = {}
    for row in rows:
        if not row.covered:
            grids.setdefault(row.region_id, []).append(row)
    from mobilization.models import Region

    names = dict(Region.objects.filter(code__in=list(grids)).values_list("code", "name"))
    pending = [
        {
            "region": names.get(code, code),
            "overdue": [r for r in items if r.overdue],
            "due": [r for r in items if not r.overdue],
        }
        for code, items in sorted(grids.items())
    ]
    context = {
        "coverage": cycles.coverage(rows, _user_region(request.user), level),
        "levels": [(key, LEVEL_LABELS[key]) for key in cycles.LEVEL_DIGITS],
        "level": level,
        "pending": pending,
        "today": today,
    }
    return render(request, "portal/inspections/schedule.html", context)


@login_required
@permission_required("inspections.view_facility", raise_exception=True)
def facility_map(request):
    """Facilities (by their place in the cycle), open rectification orders and overdue inspections on a map."""
    return render(request, "portal/inspections/map.html", {"data_url": reverse("portal:inspections-map-data")})


@login_required
@permission_required("inspections.view_facility", raise_exception=True)
def facility_map_data(request):
    """The map's points as JSON, scoped to the user (and to `region`, a code, when given): only
    facilities with recorded coordinates. The tile URL is the office's intranet server, or none."""
    from django.conf import settings
    from django.http import JsonResponse

    from mobilization.querysets import region_prefix

    facilities = Facility.objects.visible_to(request.user).filter(latitude__isnull=False, longitude__isnull=False)
    code = request.GET.get("region", "")
    if code.isdigit() and len(code) == 12:
        facilities = facilities.filter(region__code__startswith=region_prefix(code))
    rows = cycles.schedule(facilities, timezone.localdate())
    state_labels = {"covered": _("Inspected this cycle"), "due": _("Due"), "overdue": _("Overdue")}
    points = []
    for row in rows:
        state = "covered" if row.covered else "overdue" if row.overdue else "due"
        points.append(
            {
                "lat": float(row.latitude),
                "lng": float(row.longitude),
                "name": row.name,
                "state": state,
                "label": str(state_labels[state]),
                "due_on": row.due_on.isoformat(),
                "url": reverse("portal:inspections-report-new", args=[row.facility_id])
                if request.user.has_perm("inspections.add_inspectionreport")
                else "",
            }
        )
    orders = []
    if request.user.has_perm("inspections.view_rectification"):
        open_orders = (
            Rectification.objects.visible_to(request.user)
            .open()
            .filter(facility__in=facilities)
            .select_related("facility")
        )
        for order in open_orders:
            orders.append(
                {
                    "lat": float(order.facility.latitude),
                    "lng": float(order.facility.longitude),
                    "name": str(order.facility),
                    "status": order.get_status_display(),
                    "deadline": order.deadline.isoformat(),
                    "url": reverse("portal:inspections-rectification", args=[order.pk]),
                }
            )
    return JsonResponse({"tile_url": settings.MAP_TILE_URL, "facilities": points, "orders": orders})


LEVEL_LABELS = {
    "grid": gettext_lazy("Grid"),
    "township": gettext_lazy("Township"),
    "county": gettext_lazy("County"),
    "city": gettext_lazy("City"),
}


@login_required
@permission_required("inspections.add_inspectionreport", raise_exception=True)
def facility_pick(request):
    facilities = Facility.objects.visible_to(request.user).select_related("region")
    query = request.GET.get("q", "").strip()
    if query:
        facilities = facilities.filter(Q(name__icontains=query) | Q(address__icontains=query))
    return render(request, "portal/inspections/facilities.html", {"facilities": facilities[:100], "query": query})


def _report_form_page(request, facility, report=None):
    form = ReportForm(request.POST or None, request.FILES or None, facility=facility, report=report)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            report = services.report_save(by=request.user, report=report, submit=submit, **form.service_kwargs())
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            if submit:
                messages.success(request, _("Report submitted. The workstation has been notified."))
                return redirect(reverse("portal:inspections-report", args=[report.pk]) + "?saved=1")
            messages.success(request, _("Draft saved."))
            return redirect(reverse("portal:inspections-report-edit", args=[report.pk]) + "?saved=1")
    context = {"form": form, "facility": facility, "report": report, "draft_key": draft_key(request.user, facility.pk)}
    return render(request, "portal/inspections/report_form.html", context)


@login_required
@permission_required("inspections.add_inspectionreport", raise_exception=True)
def report_new(request, facility_pk):
    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=facility_pk)
    return _report_form_page(request, facility)


@login_required
@permission_required("inspections.change_inspectionreport", raise_exception=True)
def report_edit(request, pk):
    report = get_object_or_404(InspectionReport.objects.visible_to(request.user).select_related("facility"), pk=pk)
    if not report.is_draft:
        return redirect("portal:inspections-report", pk=report.pk)
    return _report_form_page(request, report.facility, report)


@login_required
@permission_required("inspections.view_inspectionreport", raise_exception=True)
def report_detail(request, pk):
    report = get_object_or_404(
        InspectionReport.objects.visible_to(request.user).select_related("facility", "inspector"), pk=pk
    )
    can_order = request.user.has_perm("inspections.add_rectification") and not report.is_draft
    context = {
        "report": report,
        "media": report.media.all(),
        "orders": Rectification.objects.visible_to(request.user).filter(report=report),
        "issue_form": RectificationIssueForm() if can_order else None,
        "can_review": request.user.has_perm("inspections.review_inspectionreport")
        and report.status == ReportStatusChoices.SUBMITTED,
        "draft_key": draft_key(request.user, report.facility_id),
    }
    return render(request, "portal/inspections/report_detail.html", context)


@login_required
@require_POST
@permission_required("inspections.review_inspectionreport", raise_exception=True)
def report_review(request, pk):
    """The director has read the report and finds nothing to order."""
    report = get_object_or_404(InspectionReport.objects.visible_to(request.user), pk=pk)
    form = NoteForm(request.POST)
    try:
        services.report_review(report=report, by=request.user, note=form.data.get("note", ""))
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Report marked reviewed."))
    return redirect("portal:inspections-report", pk=report.pk)


@login_required
@require_POST
@permission_required("inspections.add_rectification", raise_exception=True)
def report_rectify(request, pk):
    report = get_object_or_404(InspectionReport.objects.visible_to(request.user).select_related("facility"), pk=pk)
    form = RectificationIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a requirement and a deadline."))
        return redirect("portal:inspections-report", pk=report.pk)
    try:
        order = services.rectification_issue(by=request.user, report=report, **form.cleaned_data)
    except ValidationError as exc:
        _error_messages(request, exc)
        return redirect("portal:inspections-report", pk=report.pk)
    messages.success(request, _("Rectification order issued to %(party)s.") % {"party": order.responsible_party})
    return redirect("portal:inspections-rectification", pk=order.pk)


@login_required
@permission_required("inspections.view_rectification", raise_exception=True)
def rectification_detail(request, pk):
    order = get_object_or_404(
        Rectification.objects.visible_to(request.user).select_related("facility", "report", "issued_by"), pk=pk
    )
    can_change = request.user.has_perm("inspections.change_rectification")
    context = {
        "order": order,
        "evidence": order.evidence.all(),
        "history": order.history.select_related("history_user").order_by("-history_date", "-history_id")[:30],
        "complete_form": RectificationCompleteForm() if can_change and order.status in services.ACTIONABLE else None,
        "verify_form": NoteForm() if can_change and order.status == RectificationStatusChoices.COMPLETED else None,
        "reopen_form": RectificationReopenForm()
        if can_change and order.status in (RectificationStatusChoices.COMPLETED, RectificationStatusChoices.VERIFIED)
        else None,
    }
    return render(request, "portal/inspections/rectification_detail.html", context)


STEPS = {
    "complete": (RectificationCompleteForm, services.rectification_complete, gettext_lazy("Completion recorded.")),
    "verify": (NoteForm, services.rectification_verify, gettext_lazy("Order verified and closed.")),
    "reopen": (
        RectificationReopenForm,
        services.rectification_reopen,
        gettext_lazy("Order reopened with a new deadline."),
    ),
}


@login_required
@require_POST
@permission_required("inspections.change_rectification", raise_exception=True)
def rectification_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    order = get_object_or_404(Rectification.objects.visible_to(request.user), pk=pk)
    form_class, service, done = STEPS[step]
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("portal:inspections-rectification", pk=order.pk)
    try:
        service(order=order, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, str(done))
    return redirect("portal:inspections-rectification", pk=order.pk)
