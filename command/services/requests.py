"""Military requests: raised by the military liaison, taken through each stage by the office,
overdue stages escalated up the region chain (`mobilization.escalation`, as rectification orders)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilization.choices import AuditActionChoices, NotificationKindChoices, RoleChoices
from mobilization.escalation import escalate
from mobilization.services import audit_record, notify

from ..choices import RequestStageChoices as S
from ..models import MilitaryRequest, RequestAttachment, RequestStage
from .files import store_uploads

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = [
    "military_request_advance",
    "military_request_raise",
    "military_requests_sweep_overdue",
    "request_stage_update",
]

ORDER = [S.INTAKE, S.TASK_MEETING, S.NEEDS_ANALYSIS, S.SITE_SURVEY, S.HANDOVER, S.CLOSED]


def stage_days() -> int:
    """Days a stage is given by default before it is overdue."""
    return getattr(settings, "COMMAND_REQUEST_STAGE_DAYS", 5)


def _notify_both_sides(request, title):
    """Both sides of the joint office follow a request: the office staff and the military liaisons
    bound to its region (and the one who raised it)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        is_active=True,
        profile__role__in=(RoleChoices.OFFICE_STAFF, RoleChoices.MILITARY_LIAISON),
        profile__region_id=request.region_id,
    )
    notify(
        recipients=sorted({*users.values_list("pk", flat=True), request.raised_by_id}),
        key=f"military-request:{request.pk}:stage:{request.stage}",
        kind=NotificationKindChoices.MILITARY_REQUEST,
        title=title,
        body=request.title,
        url=reverse("portal:command-request", args=[request.pk]),
    )


@transaction.atomic
def military_request_raise(
    *, by: User, region, title: str, description: str, needed_by: date | None = None, today: date | None = None, **links
) -> MilitaryRequest:
    """Raise a request at intake: its first stage opens with the default deadline."""
    request = MilitaryRequest(region=region, title=title, description=description, needed_by=needed_by, raised_by=by)
    request.full_clean()
    request.save()
    for name in ("teams", "stocks", "facilities"):
        if links.get(name):
            getattr(request, name).set(links[name])
    today = today or timezone.localdate()
    RequestStage.objects.create(request=request, stage=S.INTAKE, deadline=today + timedelta(days=stage_days()))
    _notify_both_sides(request, _("Military request raised: %(title)s") % {"title": title})
    return request


def _locked(request):
    return MilitaryRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def request_stage_update(*, stage: RequestStage, by: User, **fields) -> RequestStage:
    """Set the owner, deadline or notes of a stage still open; a new deadline starts its escalation afresh."""
    stage = RequestStage.objects.select_for_update().get(pk=stage.pk)
    if stage.completed_at is not None:
        raise ValidationError(_("A completed stage is kept as it was."))
    if "deadline" in fields and fields["deadline"] != stage.deadline:
        stage.escalation_level = 0
    for name, value in fields.items():
        setattr(stage, name, value)
    stage.full_clean()
    stage.save()
    return stage


@transaction.atomic
def military_request_advance(
    *,
    request: MilitaryRequest,
    by: User,
    notes: str = "",
    owner: User | None = None,
    deadline: date | None = None,
    files=(),
    today: date | None = None,
) -> MilitaryRequest:
    """Complete the open stage (its notes and attachments recorded) and open the next, with its
    owner and deadline; completing the handover closes the request."""
    request = _locked(request)
    if request.stage == S.CLOSED:
        raise ValidationError(_("This request is closed."))
    current = request.stages.get(stage=request.stage)
    store_uploads(RequestAttachment, files, by=by, stage=current)
    if notes:
        current.notes = f"{current.notes}\n{notes}".strip()
    current.completed_at = timezone.now()
    current.completed_by = by
    current.save()
    before = request.stage
    request.stage = ORDER[ORDER.index(request.stage) + 1]
    if request.stage == S.CLOSED:
        request.closed_at = timezone.now()
    else:
        today = today or timezone.localdate()
        if deadline is not None and deadline < today:
            raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
        RequestStage.objects.create(
            request=request,
            stage=request.stage,
            owner=owner,
            deadline=deadline or today + timedelta(days=stage_days()),
        )
    request.save()
    audit_record(
        action=AuditActionChoices.APPROVE,
        user=by,
        obj=request,
        changes={"stage": [before, request.stage]},
        detail={"notes": notes},
    )
    _notify_both_sides(
        request,
        _("Military request %(title)s: %(stage)s") % {"title": request.title, "stage": request.get_stage_display()},
    )
    return request


def military_requests_sweep_overdue(*, today: date | None = None) -> dict[str, int]:
    """Raise each open stage past its deadline one escalation level when it has earned it, exactly
    as overdue rectification orders are raised; running it twice on a day changes nothing."""
    today = today or timezone.localdate()
    escalated = 0
    for pk in list(RequestStage.objects.overdue(today).values_list("pk", flat=True)):
        with transaction.atomic():
            stage = RequestStage.objects.select_for_update().select_related("request").get(pk=pk)
            if stage.completed_at is not None:
                continue
            request = stage.request
            level = escalate(
                region_code=request.region_id,
                level=stage.escalation_level,
                days_overdue=(today - stage.deadline).days,
                key=f"military-request-stage:{stage.pk}:deadline:{stage.deadline.isoformat()}",
                kind=NotificationKindChoices.MILITARY_REQUEST_OVERDUE,
                title=_("Overdue military request stage: %(title)s") % {"title": request.title},
                body=_("%(stage)s was due %(deadline)s.")
                % {"stage": stage.get_stage_display(), "deadline": stage.deadline},
                url=reverse("portal:command-request", args=[request.pk]),
            )
            if level != stage.escalation_level:
                stage.escalation_level = level
                stage.save()
                escalated += 1
    return {"escalated": escalated}
