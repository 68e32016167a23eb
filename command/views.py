"""Portal pages of the command app, at phone size: the military liaison raises requests and
follows them, and both sides of the joint office work their shared tasks. Stored attachments are
served only here (or by the API's `download`), to those who may see them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections.views import media_response
from mobilization.choices import RoleChoices
from mobilization.querysets import user_profile

from . import services
from .forms import AdvanceForm, AssignmentReportForm, JointTaskForm, RequestForm
from .models import (
    JointTask,
    JointTaskAssignment,
    JointTaskEvidence,
    MilitaryRequest,
    RequestAttachment,
    SessionMaterial,
)

__all__ = []


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


@login_required
@permission_required("command.view_militaryrequest", raise_exception=True)
def request_list(request):
    rows = MilitaryRequest.objects.visible_to(request.user).select_related("region")[:100]
    return render(request, "portal/command/requests.html", {"rows": rows})


@login_required
@permission_required("command.add_militaryrequest", raise_exception=True)
def request_new(request):
    form = RequestForm(request.POST or None)
    profile = user_profile(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            raised = services.military_request_raise(by=request.user, region=profile.region, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Request raised."))
            return redirect("portal:command-request", raised.pk)
    return render(request, "portal/command/request_form.html", {"form": form})


@login_required
@permission_required("command.view_militaryrequest", raise_exception=True)
def request_detail(request, pk):
    queryset = MilitaryRequest.objects.visible_to(request.user).prefetch_related("stages__owner", "stages__attachments")
    raised = get_object_or_404(queryset.select_related("region", "raised_by"), pk=pk)
    may_advance = request.user.has_perm("command.advance_militaryrequest") and not raised.is_closed
    form = AdvanceForm(request.POST or None, request.FILES or None) if may_advance else None
    if request.method == "POST":
        if form is None:
            return redirect("portal:command-request", pk)
        if form.is_valid():
            try:
                services.military_request_advance(request=raised, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect("portal:command-request", pk)
    return render(request, "portal/command/request_detail.html", {"req": raised, "form": form})


@login_required
@permission_required("command.view_jointtask", raise_exception=True)
def task_list(request):
    rows = JointTask.objects.visible_to(request.user).select_related("region")[:100]
    return render(request, "portal/command/tasks.html", {"rows": rows})


@login_required
@permission_required("command.add_jointtask", raise_exception=True)
def task_new(request):
    profile = user_profile(request.user)
    form = JointTaskForm(request.POST or None, region=profile.region)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        districts = data.pop("districts")
        # The one who opens the task is its co-owner for their side; the other side joins by signing.
        side = "military_owner" if profile.role == RoleChoices.MILITARY_LIAISON else "office_owner"
        try:
            with transaction.atomic():
                task = services.joint_task_create(
                    by=request.user, region=profile.region, **{side: request.user}, **data
                )
                services.joint_task_split(task=task, districts=districts, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Task created."))
            return redirect("portal:command-task", task.pk)
    return render(request, "portal/command/task_form.html", {"form": form})


@login_required
@permission_required("command.view_jointtask", raise_exception=True)
def task_detail(request, pk):
    task = get_object_or_404(JointTask.objects.visible_to(request.user).select_related("region"), pk=pk)
    assignments = (
        JointTaskAssignment.objects.visible_to(request.user)
        .filter(task=task)
        .select_related("district", "claimed_by")
        .prefetch_related("evidence")
    )
    context = {
        "task": task,
        "assignments": assignments,
        "may_sign": request.user.has_perm("command.sign_jointtask"),
        "may_work": request.user.has_perm("command.change_jointtaskassignment"),
        "report_form": AssignmentReportForm(),
    }
    return render(request, "portal/command/task_detail.html", context)


@login_required
@require_POST
@permission_required("command.sign_jointtask", raise_exception=True)
def task_sign(request, pk):
    task = get_object_or_404(JointTask.objects.visible_to(request.user), pk=pk)
    try:
        services.joint_task_sign(task=task, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("portal:command-task", pk)


@login_required
@require_POST
@permission_required("command.change_jointtaskassignment", raise_exception=True)
def assignment_step(request, pk, step):
    if step not in ("claim", "report"):
        raise Http404
    assignment = get_object_or_404(JointTaskAssignment.objects.visible_to(request.user), pk=pk)
    try:
        if step == "claim":
            services.assignment_claim(assignment=assignment, by=request.user)
        else:
            form = AssignmentReportForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(list(form.errors.get("report", [])) or _("Say what was done."))
            services.assignment_report(assignment=assignment, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("portal:command-task", assignment.task_id)


def _served(model, request, pk):
    return media_response(get_object_or_404(model.objects.visible_to(request.user), pk=pk), request)


@login_required
def attachment_file(request, pk):
    return _served(RequestAttachment, request, pk)


@login_required
def evidence_file(request, pk):
    return _served(JointTaskEvidence, request, pk)


@login_required
def material_file(request, pk):
    return _served(SessionMaterial, request, pk)
