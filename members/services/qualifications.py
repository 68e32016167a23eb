"""Qualifications: extended in bulk when the regulator prolongs certificates, and warned of before expiry."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from mobilization.choices import AuditActionChoices, NotificationKindChoices
from mobilization.services import audit_record, notify

from ..models import Qualification
from ..selectors import qualifications_expiring_with_recipients

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

    from ..models import QualificationKind


@transaction.atomic
def qualification_kind_extend(
    *,
    kind: QualificationKind,
    by: User,
    reason: str,
    new_expiry: datetime.date | None = None,
    months: int | None = None,
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> int:
    """Extend the still-valid qualifications of `kind` that `by` may see, when the regulator
    prolongs certificates: to `new_expiry`, or by `months`. Audited, and kept in each row's history."""
    if (new_expiry is None) == (months is None):
        raise ValidationError(_("Give either a new expiry date or a number of months."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason (e.g. the regulator's notice).")})
    today = today or timezone.localdate()
    qs = Qualification.objects.visible_to(by).filter(kind=kind, expires__gte=today)
    if new_expiry is not None:
        qs = qs.filter(expires__lt=new_expiry)
    rows = list(qs.select_for_update())
    now = timezone.now()
    for q in rows:
        q.expires = new_expiry if new_expiry is not None else q.expires + relativedelta(months=months)
        q.updated = now
    bulk_update_with_history(
        rows,
        Qualification,
        ["expires", "updated"],
        batch_size=2000,
        default_user=by,
        default_change_reason=f"extension: {reason}"[:200],
        default_date=now,
    )
    audit_record(
        action=AuditActionChoices.BULK_CHANGE,
        request=request,
        user=by,
        obj=kind,
        detail={
            "extended": len(rows),
            "new_expiry": new_expiry.isoformat() if new_expiry else None,
            "months": months,
            "reason": reason,
        },
    )
    return len(rows)


def qualifications_warn_expiring(*, today: datetime.date, days: int = 30) -> int:
    """Warn, once per qualification and expiry date, the liaisons of the holder's unit and of the
    unit owning the holder's current team (and of the units above either), and the office staff
    over the holder's unit's region, `days` before a qualification expires."""
    sent = 0
    for q, recipients in qualifications_expiring_with_recipients(today=today, days=days):
        if not recipients:
            continue
        sent += notify(
            recipients=recipients,
            key=f"members:qualification-expiry:{q.pk}:{q.expires.isoformat()}",
            kind=NotificationKindChoices.QUALIFICATION_EXPIRY,
            title=_("%(kind)s of %(person)s expires on %(date)s")
            % {"kind": q.kind, "person": q.person.name, "date": q.expires.isoformat()},
            body=str(q.person.employer),
        )
    return sent
