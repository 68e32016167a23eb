"""Escalation of the silent: a called-out person who has not answered gets a second text after
the activation's `remind_after_minutes`; `escalate_after_minutes` later their team's leader and
their unit's liaisons are told. Each step happens once per person (the unique keys of the text
and of the notification, and the step's stamp on the call, set in the same transaction)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilization.choices import NotificationKindChoices
from mobilization.services import notify, sms_queue

from ..choices import ActivationStatusChoices
from ..links import callout_link
from ..models import Activation, PersonCall
from ..selectors import team_callout_phones, team_liaisons

__all__ = ["callout_escalate"]


def _silent(activation):
    return PersonCall.objects.filter(activation=activation, answer="", arrived_at__isnull=True)


@transaction.atomic
def _remind(activation, now):
    cutoff = now - datetime.timedelta(minutes=activation.remind_after_minutes)
    due = list(
        _silent(activation)
        .filter(reminded_at__isnull=True, notified_at__lte=cutoff)
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", "person_id", "code", "person__phone")
    )
    if not due:
        return 0
    text = _("[Call-out, 2nd notice] %(title)s. You have not answered yet: %(link)s")
    sms_queue(
        messages=[
            (
                f"callout:{activation.pk}:{person_id}:reminder",
                phone,
                text % {"title": activation.title, "link": callout_link(code)},
            )
            for _pk, person_id, code, phone in due
        ],
        batch=f"callout:{activation.pk}:reminders:{now:%H%M%S}",
    )
    return PersonCall.objects.filter(pk__in=[row[0] for row in due], reminded_at__isnull=True).update(reminded_at=now)


@transaction.atomic
def _escalate(activation, now):
    cutoff = now - datetime.timedelta(minutes=activation.escalate_after_minutes)
    due = list(
        _silent(activation)
        .filter(escalated_at__isnull=True, reminded_at__lte=cutoff)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("person", "team__unit")
    )
    by_team = {}
    for call in due:
        by_team.setdefault(call.team_id, []).append(call)
    for calls in by_team.values():
        team = calls[0].team
        liaisons, phones = team_liaisons(team=team), team_callout_phones(team=team)
        for call in calls:
            # The leader is told about their members, not about themselves.
            leader_phones = phones - {call.person.phone}
            notify(
                recipients=liaisons,
                phones=leader_phones,
                key=f"callout:{activation.pk}:{call.person_id}:escalated",
                kind=NotificationKindChoices.CALLOUT_ESCALATION,
                title=_("%(name)s (%(team)s) has not answered the call-out “%(title)s”")
                % {"name": call.person.name, "team": team.name, "title": activation.title},
                url=f"/portal/teams/activations/{activation.pk}/board/",
                sms=True,
            )
    return PersonCall.objects.filter(pk__in=[c.pk for c in due], escalated_at__isnull=True).update(escalated_at=now)


def callout_escalate(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Take the escalation steps due at `now` in every open call-out; returns how many of each."""
    now = now or timezone.now()
    reminded = escalated = 0
    open_activations = Activation.objects.exclude(status=ActivationStatusChoices.STOOD_DOWN).filter(
        person_calls__answer="", person_calls__arrived_at__isnull=True, person_calls__escalated_at__isnull=True
    )
    for activation in open_activations.distinct():
        escalated += _escalate(activation, now)
        reminded += _remind(activation, now)
    return {"reminded": reminded, "escalated": escalated}
