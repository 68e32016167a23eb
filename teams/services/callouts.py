"""The call-out of people: selecting them, texting each their personal link, recording their
answers and arrivals (every one kept with its time), until the activation stands down."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Membership, Qualification
from members.querysets import available_q
from mobilization.choices import AuditActionChoices, NotificationKindChoices
from mobilization.fields import hashed_in
from mobilization.models import SMSMessage, UserProfile
from mobilization.querysets import region_prefix
from mobilization.services import audit_record, notify, sms_enqueue

from ..choices import ActivationStatusChoices, CallAnswerChoices, CallAnswerSourceChoices, TeamStatusChoices
from ..links import callout_link, new_code
from ..models import Activation, ActivationTeam, PersonCall, PersonCallAnswer, Team

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from members.models import QualificationKind
    from mobilization.models import Region

    from ..models import TeamType

__all__ = ["callout_answer", "callout_checkin", "callout_people", "callout_text"]

MAX_ETA_MINUTES = 24 * 60


def callout_text(activation: Activation, link: str) -> str:
    if activation.is_test:
        return _("[Call-out TEST] %(title)s. Please answer at once: %(link)s") % {
            "title": activation.title,
            "link": link,
        }
    return _("[Call-out] %(title)s. Are you coming? Answer here: %(link)s") % {"title": activation.title, "link": link}


def _selected_memberships(*, activation, by, teams, team_types, qualifications, region, today):
    prefix = region_prefix((region or activation.region).code)
    in_scope = Team.objects.visible_to(by) if by is not None else Team.objects.all()
    team_q = Q(team__in=in_scope, team__status=TeamStatusChoices.ACTIVE, team__region__code__startswith=prefix)
    if teams:
        team_q &= Q(team__in=teams)
    if team_types:
        team_q &= Q(team__team_type__in=team_types)
    memberships = (
        Membership.objects.filter(team_q, joined__lte=today)
        .filter(Q(left__isnull=True) | Q(left__gt=today))
        .filter(available_q(today, "person__"))
        .exclude(person__phone="")
        .exclude(person__calls__activation=activation)
    )
    if qualifications:
        holders = Qualification.objects.valid_on(today).filter(kind__in=qualifications).values("person_id")
        memberships = memberships.filter(person_id__in=holders)
    return memberships.order_by("person_id").values_list("person_id", "team_id", "person__phone")


@transaction.atomic
def callout_people(
    *,
    activation: Activation,
    by: User | None,
    teams: Iterable[Team] = (),
    team_types: Iterable[TeamType] = (),
    qualifications: Iterable[QualificationKind] = (),
    region: Region | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Call out every available person with a mobile in the selected teams (all of the activation's
    region when none is named, narrowed by team types, qualifications held and region) who is not
    yet called by this activation. Each gets an SMS with their personal link, and an in-app
    notification when a user account carries their mobile. Returns how many were called.

    Bulk throughout: one query selects, one insert queues the texts, one inserts the calls."""
    now = now or timezone.now()
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.status == ActivationStatusChoices.STOOD_DOWN:
        raise ValidationError({"detail": [_("This activation has been stood down.")]})
    teams, team_types, qualifications = list(teams), list(team_types), list(qualifications)
    rows = list(
        _selected_memberships(
            activation=activation,
            by=by,
            teams=teams,
            team_types=team_types,
            qualifications=qualifications,
            region=region,
            today=timezone.localtime(now).date(),
        )
    )
    if not rows:
        return 0
    codes = [new_code() for _row in rows]
    messages = [
        SMSMessage(
            key=f"callout:{activation.pk}:{person_id}", to=phone, text=callout_text(activation, callout_link(code))
        )
        for (person_id, _team_id, phone), code in zip(rows, codes, strict=True)
    ]
    sms_enqueue(messages=messages, batch=f"callout:{activation.pk}:{now:%H%M%S%f}")
    PersonCall.objects.bulk_create(
        [
            PersonCall(
                activation=activation, person_id=person_id, team_id=team_id, code=code, sms=message, notified_at=now
            )
            for (person_id, team_id, _phone), code, message in zip(rows, codes, messages, strict=True)
        ],
        batch_size=2000,
    )
    team_ids = sorted({team_id for _p, team_id, _phone in rows})
    ActivationTeam.objects.bulk_create(
        [ActivationTeam(activation=activation, team_id=team_id, notified_at=now) for team_id in team_ids],
        ignore_conflicts=True,
    )
    _notify_account_holders(activation, rows, codes)
    audit_record(
        action=AuditActionChoices.CALLOUT,
        user=by,
        obj=activation,
        detail={
            "called": len(rows),
            "teams": [t.pk for t in teams],
            "team_types": [t.pk for t in team_types],
            "qualifications": [q.pk for q in qualifications],
            "region": getattr(region, "code", None),
        },
    )
    return len(rows)


def _notify_account_holders(activation, rows, codes):
    """The in-app copy for people who also have an account (matched by their mobile): few of them."""
    phones = {phone: code for (_p, _t, phone), code in zip(rows, codes, strict=True)}
    for user_id, phone in UserProfile.objects.filter(**hashed_in("phone", phones)).values_list("user_id", "phone"):
        notify(
            recipients=[user_id],
            key=f"callout:{activation.pk}:{phones[phone]}",
            kind=NotificationKindChoices.CALLOUT,
            title=_("Call-out: %(title)s") % {"title": activation.title},
            body=_("Tell the office whether you are coming."),
            url=callout_link(phones[phone]),
        )


def _open_call(call):
    call = PersonCall.objects.select_for_update().select_related("activation").get(pk=call.pk)
    if call.activation.status == ActivationStatusChoices.STOOD_DOWN:
        raise ValidationError({"detail": [_("This call-out has ended; answers are closed.")]})
    return call


@transaction.atomic
def callout_answer(
    *,
    call: PersonCall,
    answer: str,
    eta_minutes: int | None = None,
    reason: str = "",
    by: User | None = None,
    source: str = CallAnswerSourceChoices.LINK,
    now: datetime.datetime | None = None,
) -> PersonCall:
    """Record a person's answer: coming (with an estimated arrival in minutes) or cannot come
    (with a reason). It may be changed until stand-down; each answer is kept."""
    now = now or timezone.now()
    call = _open_call(call)
    if answer == CallAnswerChoices.YES:
        if eta_minutes is not None and not 0 <= eta_minutes <= MAX_ETA_MINUTES:
            raise ValidationError({"eta_minutes": [_("Give the minutes until you arrive, from 0 to 1440.")]})
        reason = ""
    elif answer == CallAnswerChoices.NO:
        eta_minutes = None
        if not reason.strip():
            raise ValidationError({"reason": [_("Say why you cannot come.")]})
    else:
        raise ValidationError({"answer": [_("Answer “yes” (coming) or “no” (cannot come).")]})
    call.answer, call.eta_minutes, call.reason, call.answered_at = answer, eta_minutes, reason.strip()[:200], now
    call.first_answered_at = call.first_answered_at or now
    call.save(update_fields=["answer", "eta_minutes", "reason", "answered_at", "first_answered_at", "updated"])
    PersonCallAnswer.objects.create(
        call=call, answer=answer, eta_minutes=eta_minutes, reason=call.reason, at=now, source=source, by=by
    )
    audit_record(
        action=AuditActionChoices.CALLOUT_ANSWER,
        user=by,
        username="" if by else _("the person, by their call-out link"),
        obj=call,
        detail={"answer": answer, "eta_minutes": eta_minutes},
    )
    return call


@transaction.atomic
def callout_checkin(
    *,
    call: PersonCall,
    by: User | None = None,
    source: str = CallAnswerSourceChoices.LINK,
    now: datetime.datetime | None = None,
) -> PersonCall:
    """The person has arrived (checked in by themselves, their leader or the office). Arriving
    answers "coming" for someone who had not said so; a second check-in changes nothing."""
    now = now or timezone.now()
    call = _open_call(call)
    if call.arrived_at is not None:
        return call
    call.arrived_at = now
    if call.answer != CallAnswerChoices.YES:
        call.answer, call.reason, call.answered_at = CallAnswerChoices.YES, "", now
    call.first_answered_at = call.first_answered_at or now
    call.save(update_fields=["arrived_at", "answer", "reason", "answered_at", "first_answered_at", "updated"])
    PersonCallAnswer.objects.create(call=call, answer=CallAnswerChoices.YES, checkin=True, at=now, source=source, by=by)
    audit_record(
        action=AuditActionChoices.CALLOUT_ANSWER,
        user=by,
        username="" if by else _("the person, by their call-out link"),
        obj=call,
        detail={"checkin": True},
    )
    return call
