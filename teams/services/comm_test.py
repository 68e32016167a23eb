"""The communication test of a drill: a test call to everyone in the drill's scope (its teams, or
every team of the organising office's region), measured by `teams.selectors.comm_test`."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import ActivationStatusChoices
from ..models import Activation
from .callouts import callout_people

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from training.models import Exercise

__all__ = ["drill_callout_test"]


@transaction.atomic
def drill_callout_test(*, exercise: Exercise, by: User | None, now: datetime.datetime | None = None) -> Activation:
    """Start (or, run again, extend to people new in scope) the drill's test call-out."""
    now = now or timezone.now()
    activation = (
        Activation.objects.filter(exercise=exercise, is_test=True)
        .exclude(status=ActivationStatusChoices.STOOD_DOWN)
        .first()
    )
    if activation is None:
        activation = Activation(
            title=_("Communication test: %(drill)s") % {"drill": exercise.title},
            reason=_("A test call of the drill: answer at once; nobody needs to come."),
            region=exercise.office.region,
            ordered_by=by,
            ordered_at=now,
            is_test=True,
            exercise=exercise,
        )
        activation.full_clean()
        activation.save()
    callout_people(activation=activation, by=by, teams=list(exercise.teams.all()), now=now)
    return activation
