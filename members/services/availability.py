"""A person's availability for call-outs: set by their liaison or office (portal, admin, API) or by
the person through their personal call-out link; every change audited and kept in the history."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilization.choices import AuditActionChoices
from mobilization.services import audit_record

from ..choices import UnavailabilityReasonChoices
from ..models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

__all__ = ["person_set_availability"]


@transaction.atomic
def person_set_availability(
    *,
    person: Person,
    available: bool,
    until: datetime.date | None = None,
    reason: str = "",
    note: str = "",
    by: User | None = None,
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> Person:
    """Mark `person` available again, or unavailable through `until` (today or later) for `reason`.

    `by` is None when the person set it themselves through their call-out link."""
    today = today or timezone.localdate()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if available:
        until, reason, note = None, "", ""
    else:
        errors = {}
        if until is None:
            errors["until"] = [_("Say until which day the person is unavailable.")]
        elif until < today:
            errors["until"] = [_("The day the person is unavailable until cannot be in the past.")]
        if reason not in UnavailabilityReasonChoices.values:
            errors["reason"] = [_("Choose why the person is unavailable.")]
        if errors:
            raise ValidationError(errors)
    before = {"until": person.unavailable_until, "reason": person.unavailable_reason}
    person.unavailable_until, person.unavailable_reason, person.unavailable_note = until, reason, note[:200]
    person.full_clean()
    person.save(update_fields=["unavailable_until", "unavailable_reason", "unavailable_note", "updated"])
    audit_record(
        action=AuditActionChoices.AVAILABILITY,
        request=request,
        user=by,
        username="" if by else _("the person, by their call-out link"),
        obj=person,
        detail={"before": before, "after": {"until": until, "reason": reason}},
    )
    return person
