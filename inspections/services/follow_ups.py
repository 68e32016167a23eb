"""Evaluation follow-ups: reported done with evidence, reminders before the deadline, the overdue sweep."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilization.choices import NotificationKindChoices
from mobilization.escalation import escalate
from mobilization.services import notify

from ..models import (
    EvaluationFollowUp,
    FollowUpEvidence,
)
from ..selectors import escalation_recipients, unit_liaisons
from ..uploads import prepare_uploads

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile


__all__ = ["follow_up_remind_days", "follow_up_report_done", "follow_ups_remind_due", "follow_ups_sweep_overdue"]


from .media import _today, media_store

# --- evaluation follow-ups --------------------------------------------------------------------


def follow_up_remind_days() -> int:
    return settings.FOLLOW_UP_REMIND_DAYS


@transaction.atomic
def follow_up_report_done(
    *,
    follow_up: EvaluationFollowUp,
    by: User,
    note: str,
    files: Iterable[UploadedFile] = (),
    done_on: date | None = None,
) -> EvaluationFollowUp:
    """The unit reports an item put right, saying what was done, with photos or videos as evidence."""
    follow_up = EvaluationFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done:
        raise ValidationError(_("This item has been reported done already."))
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    prepared = prepare_uploads(files)
    if not prepared and not follow_up.evidence.exists():
        raise ValidationError({"files": _("Attach at least one photo or video as evidence.")})
    follow_up.done = True
    follow_up.done_on = done_on or timezone.localdate()
    follow_up.done_note = note
    follow_up.reported_by = by
    follow_up.save()  # in the audit trail through its history, as every change of a record
    media_store(FollowUpEvidence, prepared, by=by, follow_up=follow_up)
    return follow_up


def _open_follow_ups():
    return EvaluationFollowUp.objects.filter(done=False).select_related("evaluation__team")


def follow_ups_remind_due(*, today: date | None = None) -> int:
    """Remind the unit's liaisons of each open item whose deadline is within FOLLOW_UP_REMIND_DAYS,
    once per item and deadline."""
    today = _today(today)
    window = today + timedelta(days=follow_up_remind_days())
    sent = 0
    for item in _open_follow_ups().filter(deadline__gte=today, deadline__lte=window):
        sent += notify(
            recipients=unit_liaisons(item.evaluation.team.unit_id),
            key=f"follow-up:{item.pk}:due:{item.deadline.isoformat()}",
            kind=NotificationKindChoices.FOLLOW_UP_DUE,
            title=_("Due %(date)s: %(item)s") % {"date": item.deadline, "item": item.item},
            body=str(item.evaluation),
            url=reverse("portal:inspections-follow-ups"),
        )
    return sent


def _follow_up_recipients(item, level):
    """Level 1 the team's unit (its liaisons), then its district/county office, then the city office."""
    if level == 1:
        return unit_liaisons(item.evaluation.team.unit_id)
    return escalation_recipients(region_code=item.evaluation.team.region_id, level=level)


def follow_ups_sweep_overdue(*, today: date | None = None) -> dict[str, int]:
    """Raise each open item past its deadline one escalation level when it has earned it, as the
    rectification sweep does (a level with nobody at it passed over, each step once: the level is
    recorded on the item and each notification has its own key)."""
    today = _today(today)
    escalated = overdue = 0
    for pk in list(_open_follow_ups().filter(deadline__lt=today).values_list("pk", flat=True)):
        overdue += 1
        with transaction.atomic():
            item = EvaluationFollowUp.objects.select_for_update().select_related("evaluation__team").get(pk=pk)
            if item.done:
                continue
            level = escalate(
                region_code=item.evaluation.team.region_id,
                level=item.escalation_level,
                days_overdue=(today - item.deadline).days,
                key=f"follow-up:{item.pk}:deadline:{item.deadline.isoformat()}",
                kind=NotificationKindChoices.FOLLOW_UP_OVERDUE,
                title=_("Overdue follow-up: %(item)s") % {"item": item.item},
                body=_("%(team)s missed the deadline %(deadline)s.")
                % {"team": item.evaluation.team, "deadline": item.deadline},
                url=reverse("portal:inspections-follow-ups"),
                recipients_at=lambda level, item=item: _follow_up_recipients(item, level),
            )
            if level > item.escalation_level:
                item.escalation_level = level
                item.save()
                escalated += 1
    return {"overdue": overdue, "escalated": escalated}
