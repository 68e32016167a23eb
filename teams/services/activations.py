"""Services of the teams app: every rule that changes state or touches several rows.

The admin, the API, the portal and Celery tasks all call these; each takes keyword arguments,
runs in one transaction and validates with `full_clean()`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilization.choices import AuditActionChoices, NotificationKindChoices
from mobilization.services import audit_record, notify

from ..choices import ActivationStatusChoices
from ..models import Activation, ActivationTeam
from ..selectors import team_callout_phones, team_liaisons

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from mobilization.models import Region

    from .models import Team


__all__ = [
    "activation_acknowledge",
    "activation_deploy",
    "activation_order",
    "activation_stand_down",
]

S = ActivationStatusChoices


def _notify_callout(callout, *, suffix, title, body):
    activation = callout.activation
    return notify(
        recipients=team_liaisons(team=callout.team),
        phones=team_callout_phones(team=callout.team),
        key=f"activation:{activation.pk}:team:{callout.team_id}{suffix}",
        kind=NotificationKindChoices.ACTIVATION,
        title=title,
        body=body,
        url=f"/portal/teams/activations/{activation.pk}/",
        sms=True,
    )


@transaction.atomic
def activation_order(
    *,
    title: str,
    reason: str,
    region: Region,
    teams: Iterable[Team],
    by: User,
    ordered_at: datetime.datetime | None = None,
) -> Activation:
    """Order an activation calling out `teams`, and notify each team's liaisons (once per team)."""
    teams = list(teams)
    if not teams:
        raise ValidationError({"teams": [_("An activation must call out at least one team.")]})
    activation = Activation(
        title=title, reason=reason, region=region, ordered_by=by, ordered_at=ordered_at or timezone.now()
    )
    activation.full_clean()
    activation.save()
    now = timezone.now()
    for team in teams:
        callout = ActivationTeam(activation=activation, team=team, notified_at=now)
        callout.full_clean()
        callout.save()
        _notify_callout(
            callout,
            suffix="",
            title=_("Activation: %(title)s — %(team)s is called out") % {"title": title, "team": team},
            body=reason,
        )
    audit_record(
        action=AuditActionChoices.CALL_OUT,
        user=by,
        obj=activation,
        detail={"step": "order", "teams": [str(team) for team in teams], "reason": reason},
    )
    return activation


@transaction.atomic
def activation_acknowledge(
    *, activation: Activation, team: Team, by: User, assembled_headcount: int | None = None
) -> ActivationTeam:
    """A team answers its call-out (and may report how many have assembled). The first answer
    moves the activation from ordered to assembling; the ordering officer is told once per team."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.status not in (S.ORDERED, S.ASSEMBLING, S.DEPLOYED):
        raise ValidationError({"detail": [_("This activation has been stood down.")]})
    callout = ActivationTeam.objects.filter(activation=activation, team=team).first()
    if callout is None:
        raise ValidationError({"team": [_("This team is not called out by this activation.")]})
    if callout.acknowledged_at is None:
        callout.acknowledged_at, callout.acknowledged_by = timezone.now(), by
    if assembled_headcount is not None:
        callout.assembled_headcount = assembled_headcount
    callout.full_clean()
    callout.save()
    if activation.status == S.ORDERED:
        activation.status = S.ASSEMBLING
        activation.save(update_fields=["status", "updated"])
    if activation.ordered_by_id:
        notify(
            recipients=[activation.ordered_by_id],
            key=f"activation:{activation.pk}:team:{team.pk}:acknowledged",
            kind=NotificationKindChoices.ACTIVATION,
            title=_("%(team)s acknowledged “%(title)s”") % {"team": team, "title": activation.title},
        )
    return callout


@transaction.atomic
def activation_deploy(*, activation: Activation, by: User) -> Activation:
    """The called-out teams are deployed."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.status not in (S.ORDERED, S.ASSEMBLING):
        raise ValidationError({"status": [_("Only an ordered or assembling activation can be deployed.")]})
    before = activation.status
    activation.status = S.DEPLOYED
    activation.save(update_fields=["status", "updated"])
    audit_record(
        action=AuditActionChoices.CALL_OUT,
        user=by,
        obj=activation,
        changes={"status": [before, activation.status]},
        detail={"step": "deploy"},
    )
    return activation


@transaction.atomic
def activation_stand_down(*, activation: Activation, by: User) -> Activation:
    """End an activation and tell every called-out team's liaisons to stand down (once each)."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.status == S.STOOD_DOWN:
        raise ValidationError({"status": [_("This activation has already been stood down.")]})
    before = activation.status
    activation.status, activation.stood_down_at = S.STOOD_DOWN, timezone.now()
    activation.save(update_fields=["status", "stood_down_at", "updated"])
    audit_record(
        action=AuditActionChoices.CALL_OUT,
        user=by,
        obj=activation,
        changes={"status": [before, activation.status]},
        detail={"step": "stand_down"},
    )
    for callout in activation.callouts.select_related("team__unit"):
        _notify_callout(
            callout,
            suffix=":stand-down",
            title=_("Stand down: %(title)s") % {"title": activation.title},
            body=_("%(team)s may stand down.") % {"team": callout.team},
        )
    return activation
