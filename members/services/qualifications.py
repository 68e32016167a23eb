"""Qualifications: extended in bulk when the regulator prolongs certificates, and warned of before expiry."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from mobilization.choices import AuditActionChoices, RoleChoices
from mobilization.models import UserProfile
from mobilization.querysets import region_prefix
from mobilization.services import audit_record, notify

from ..models import Membership, Qualification


@transaction.atomic
def qualification_kind_extend(*, kind, by, reason, new_expiry=None, months=None, request=None, today=None):
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


def qualifications_warn_expiring(*, today, days=30):
    """Warn, once per qualification and expiry date, the liaisons of the holder's unit and of the
    unit owning the holder's current team (and of the units above either), and the office staff
    over the holder's unit's region, `days` before a qualification expires."""
    expiring = list(Qualification.objects.expiring_within(today, days).select_related("person__employer", "kind"))
    if not expiring:
        return 0
    # A person may work for one unit and serve in a team another unit runs: that unit's liaison
    # answers for the team's readiness, so it is warned too.
    team_units = {
        m.person_id: m.team.unit
        for m in Membership.objects.current()
        .filter(person_id__in={q.person_id for q in expiring})
        .select_related("team__unit")
    }
    profiles = list(
        UserProfile.objects.filter(
            role__in=[RoleChoices.UNIT_LIAISON, RoleChoices.OFFICE_STAFF], user__is_active=True
        ).select_related("member_unit")
    )
    liaisons = [(p.member_unit.tree_path, p.user_id) for p in profiles if p.member_unit_id and p.role == "unit_liaison"]
    offices = [(region_prefix(p.region_id), p.user_id) for p in profiles if p.role == "office_staff"]
    sent = 0
    for q in expiring:
        employer = q.person.employer
        paths = {employer.tree_path}
        if q.person_id in team_units:
            paths.add(team_units[q.person_id].tree_path)
        recipients = {u for path, u in liaisons if any(p.startswith(path) for p in paths)}
        recipients |= {u for prefix, u in offices if employer.region_id.startswith(prefix)}
        if not recipients:
            continue
        sent += notify(
            recipients=sorted(recipients),
            key=f"members:qualification-expiry:{q.pk}:{q.expires.isoformat()}",
            kind="qualification_expiry",
            title=_("%(kind)s of %(person)s expires on %(date)s")
            % {"kind": q.kind, "person": q.person.name, "date": q.expires.isoformat()},
            body=str(employer),
        )
    return sent
