"""The roster-change workflow: a validated change saved as one pending request, then approved
(applied in bulk, in one transaction, with history), rejected or withdrawn; decisions notify."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mobilization.choices import AuditActionChoices, AuditOutcomeChoices, NotificationKindChoices
from mobilization.crypto import encrypt
from mobilization.services import audit_record, notify

from .. import rosterfile
from ..choices import (
    MembershipRoleChoices,
    RosterChangeActionChoices,
    RosterChangeSourceChoices,
    RosterChangeStatusChoices,
)
from ..masking import mask_id_number
from ..models import Membership, Person, Qualification, RosterChange, RosterChangeItem
from ..selectors import roster_change_deciders
from .fields import PERSON_FIELDS, QUALIFICATION_FIELDS, QUALIFICATION_KEYS
from .roster_validation import RosterRowsInvalid, roster_rows_validate
from .scope import person_regions_refresh

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from mobilization.models import MemberUnit


A = RosterChangeActionChoices


class RosterChanged(Exception):
    """The roster a pending request was made against has changed since: approval is refused."""


def _fingerprint(*, hashes, person_ids, team_ids, qualified=()):
    """A digest of every row a change touches: the persons (found by hash or id), the current
    memberships of the teams and persons involved and, when it renews any, the persons'
    qualifications of those kinds. Any write to them changes the digest."""
    persons = Person.objects.filter(Q(id_number_hash__in=hashes) | Q(pk__in=person_ids)).order_by("pk")
    person_rows = list(persons.values_list("pk", "id_number_hash", "updated"))
    ids = {p[0] for p in person_rows} | set(person_ids)
    memberships = Membership.objects.current().filter(Q(team_id__in=team_ids) | Q(person_id__in=ids)).order_by("pk")
    member_rows = list(memberships.values_list("pk", "person_id", "team_id", "role", "updated"))
    touched = (person_rows, member_rows)
    if qualified:
        # Only then: a request without qualifications keeps the digest (and the queries) it had.
        held = Qualification.objects.filter(
            person_id__in={p for p, _k in qualified}, kind_id__in={k for _p, k in qualified}
        ).order_by("pk")
        touched += ([q for q in held.values_list("pk", "person_id", "kind_id", "updated") if q[1:3] in qualified],)
    digest = hashlib.sha256(repr(touched).encode())
    return digest.hexdigest()


def _change_fingerprint(items):
    return _fingerprint(
        hashes={i.id_number_hash for i in items if i.id_number_hash},
        person_ids={i.person_id for i in items if i.person_id},
        team_ids={i.team_id for i in items if i.team_id},
        # A person new to the roster holds nothing yet: only persons already on it are fingerprinted.
        qualified={
            (i.person_id, i.data["qualification_kind"]) for i in items if i.person_id and "qualification_kind" in i.data
        },
    )


def _default_unit(user, unit):
    if unit is not None:
        return unit
    profile = getattr(user, "profile", None)
    if profile is None or profile.member_unit_id is None:
        raise RosterRowsInvalid([{"row": 0, "column": "unit", "message": _("Name the member unit of this change.")}])
    return profile.member_unit


@transaction.atomic
def roster_change_submit(
    *,
    by: User,
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    source: str,
    unit: MemberUnit | None = None,
    note: str = "",
    file_name: str = "",
    column_names: Mapping[str, str] | None = None,
    today: datetime.date | None = None,
    progress=None,
) -> RosterChange:
    """Validate proposed rows as a whole and, if every row is good, save them as ONE pending request.

    rows: (row number, {column key: text}); column_names maps keys to the names errors should use
    (the Chinese headers for files); progress(done, total, stage=...), if given, hears of each row
    checked ("checking") and prepared ("saving"). Raises RosterRowsInvalid with every bad row,
    saving nothing."""
    today = today or timezone.localdate()
    unit = _default_unit(by, unit)
    progress = progress or (lambda done, total, **extra: None)
    checked = roster_rows_validate(
        user=by,
        records=rows,
        today=today,
        column_names=column_names or {},
        progress=lambda done, total: progress(done, total, stage="checking"),
    )
    change = RosterChange(unit=unit, submitted_by=by, source=source, note=note, file_name=file_name[:200])
    items = []
    for done, row in enumerate(checked, start=1):
        items.append(_item(change, row))
        progress(done, len(checked), stage="saving")
    change.base_version = _change_fingerprint(items)
    change.full_clean()
    change.save()
    # Items are written once, with their request, and never edited: the request's own history
    # records its life, so the items skip a history row each (a third of a 10,000-row import's cost).
    RosterChangeItem.objects.bulk_create(items, batch_size=2000)
    _tell_deciders(change, rows=len(items))
    return change


def _item(change, row):
    return RosterChangeItem(
        change=change,
        row=row.number,
        action=row.action,
        person_id=row.person["id"] if row.person else None,
        team_id=row.team["id"] if row.team else None,
        id_number_encrypted=encrypt(row.id_number) if row.id_number else "",
        id_number_hash=row.id_hash or row.person["id_number_hash"],
        id_number_masked=mask_id_number(row.id_number) if row.id_number else row.person["id_number_masked"],
        data=row.data,
        before=row.before,
    )


def _tell_deciders(change, *, rows):
    """The office that decides hears of a new request at once (and finds it in its work queue)."""
    notify(
        recipients=roster_change_deciders(unit=change.unit),
        key=f"members:rosterchange:{change.pk}:submitted",
        kind=NotificationKindChoices.ROSTER_CHANGE,
        title=_("Roster change #%(id)s from %(unit)s awaits your decision")
        % {"id": change.pk, "unit": change.unit.name},
        body=ngettext("%(rows)d row, submitted by %(user)s.", "%(rows)d rows, submitted by %(user)s.", rows)
        % {"rows": rows, "user": change.submitted_by},
        url=reverse("admin:members_rosterchange_change", args=[change.pk]),
    )


def roster_change_import(
    *,
    by: User,
    upload: UploadedFile,
    unit: MemberUnit | None = None,
    note: str = "",
    today: datetime.date | None = None,
    progress=None,
) -> RosterChange:
    """A roster spreadsheet (.xlsx or .csv) becomes one pending change request, or nothing.

    progress: as for roster_change_submit (a long import runs as a job: `roster_import_start`).
    Raises rosterfile.UploadRefused for a file of the wrong kind, RosterRowsInvalid for bad rows."""
    file_name = getattr(upload, "name", "") or ""
    try:
        rows = rosterfile.read_upload(upload)
        change = roster_change_submit(
            by=by,
            rows=rows,
            source=RosterChangeSourceChoices.UPLOAD,
            unit=unit,
            note=note,
            file_name=file_name,
            column_names=rosterfile.HEADERS,
            today=today,
            progress=progress,
        )
    except (rosterfile.UploadRefused, RosterRowsInvalid) as exc:
        audit_record(
            action=AuditActionChoices.IMPORT,
            user=by,
            outcome=AuditOutcomeChoices.FAILURE,
            detail={"file": file_name[:200], "errors": len(getattr(exc, "errors", None) or []) or 1},
        )
        raise
    audit_record(
        action=AuditActionChoices.IMPORT, user=by, obj=change, detail={"file": file_name[:200], "rows": len(rows)}
    )
    return change


def _decided(change, *, by, status, reason):
    change.status, change.decided_by, change.decided_at, change.reason = status, by, timezone.now(), reason
    change.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated"])
    if change.submitted_by_id and status != RosterChangeStatusChoices.WITHDRAWN:
        label = RosterChangeStatusChoices(status).label
        notify(
            recipients=[change.submitted_by_id],
            key=f"members:rosterchange:{change.pk}:decided",
            kind=NotificationKindChoices.ROSTER_CHANGE,
            title=_("Roster change #%(id)s: %(status)s") % {"id": change.pk, "status": label},
            body=reason,
            url=reverse("portal:members-change", args=[change.pk]),
        )


def _lock_pending(change):
    change = RosterChange.objects.select_for_update().get(pk=change.pk)
    if not change.is_pending:
        raise ValidationError(_("This request has already been decided."))
    return change


@transaction.atomic
def roster_change_approve(
    *, change: RosterChange, by: User, reason: str = "", request: HttpRequest | None = None
) -> RosterChange:
    """Apply every item of a pending request in one transaction, or nothing.

    Refused (RosterChanged) when anything the request touches changed since it was made."""
    change = _lock_pending(change)
    items = list(change.items.all())
    if _change_fingerprint(items) != change.base_version:
        raise RosterChanged(_("The roster has changed since this request was made; ask the unit to submit it again."))
    now = timezone.now()
    history = {"default_user": by, "default_change_reason": f"roster change #{change.pk}", "default_date": now}
    adds = [i for i in items if i.action == A.ADD]
    new_people = [
        Person(
            name=i.data["name"],
            id_number_encrypted=i.id_number_encrypted,
            id_number_hash=i.id_number_hash,
            id_number_masked=i.id_number_masked,
            birth_year=i.data["birth_year"],
            sex=i.data["sex"],
            employer_id=i.data["employer"],
            **{k: i.data[k] for k in PERSON_FIELDS if k in i.data and k != "name"},
        )
        for i in adds
        if i.person_id is None
    ]
    bulk_create_with_history(new_people, Person, batch_size=2000, **history)
    # Link the items to the persons just created, in one UPDATE (the hash is the natural key).
    change.items.filter(action=A.ADD, person__isnull=True).update(
        person_id=Subquery(Person.objects.filter(id_number_hash=OuterRef("id_number_hash")).values("pk")[:1])
    )
    created = dict(change.items.filter(action=A.ADD).values_list("pk", "person_id"))
    for item in adds:
        item.person_id = created[item.pk]

    # Removals first, so that a request may empty a seat before filling it.
    removals = {i.person_id: i for i in items if i.action == A.REMOVE}
    edits = {i.person_id: i for i in items if i.action == A.EDIT}
    current = list(Membership.objects.current().filter(person_id__in=[*removals, *edits]))
    ended, regraded = [], []
    for membership in current:
        membership.updated = now
        if membership.person_id in removals:
            # Leaving the day one joined is the earliest a membership can end.
            left = datetime.date.fromisoformat(removals[membership.person_id].data["left"])
            membership.left = max(left, membership.joined)
            ended.append(membership)
        elif "role" in edits[membership.person_id].data:
            membership.role = edits[membership.person_id].data["role"]
            regraded.append(membership)
    if ended:
        bulk_update_with_history(ended, Membership, ["left", "updated"], batch_size=2000, **history)
    if regraded:
        bulk_update_with_history(regraded, Membership, ["role", "updated"], batch_size=2000, **history)

    # An edit that only renews a qualification leaves the person's row (and history) alone.
    edited = list(Person.objects.filter(pk__in=[p for p, i in edits.items() if set(i.data) - set(QUALIFICATION_KEYS)]))
    changed_fields = {"updated"}
    for person in edited:
        for key, value in edits[person.pk].data.items():
            if key == "employer":
                person.employer_id = value
                changed_fields.add("employer")
            elif key in PERSON_FIELDS:
                setattr(person, key, value)
                changed_fields.add(key)
        person.updated = now
    if edited:
        bulk_update_with_history(edited, Person, sorted(changed_fields), batch_size=2000, **history)

    bulk_create_with_history(
        [
            Membership(
                person_id=i.person_id,
                team_id=i.team_id,
                role=i.data.get("role", MembershipRoleChoices.MEMBER),
                joined=datetime.date.fromisoformat(i.data["joined"]),
            )
            for i in adds
        ],
        Membership,
        batch_size=2000,
        **history,
    )
    _apply_qualifications([i for i in items if "qualification_kind" in i.data], now=now, history=history)
    # The bulk writes above send no signal: the offices' view of these people is rebuilt here.
    person_regions_refresh([i.person_id for i in items if i.person_id])
    _decided(change, by=by, status=RosterChangeStatusChoices.APPROVED, reason=reason)
    # Each person, membership and qualification written above is an event of its own, with its
    # fields before and after; this one is the decision.
    audit_record(
        action=AuditActionChoices.APPROVE,
        request=request,
        user=by,
        obj=change,
        changes={"status": [RosterChangeStatusChoices.PENDING, change.status]},
        detail={
            "added": len(adds),
            "edited": len(edits),
            "removed": len(removals),
            "qualifications": sum(1 for i in items if "qualification_kind" in i.data),
            "reason": reason,
        },
    )
    return change


def _apply_qualifications(items, *, now, history):
    """Renew (update) each person's current qualification of the item's kind, or add one: two
    writes and one read whatever the number of items; each row keeps its history."""
    if not items:
        return
    held = Qualification.objects.filter(
        person_id__in={i.person_id for i in items}, kind_id__in={i.data["qualification_kind"] for i in items}
    )
    # The same choice as the checker's (_current_qualifications): the one issued last.
    current = {(q.person_id, q.kind_id): q for q in sorted(held, key=lambda q: (q.issued, q.pk))}
    renewed, added = [], []
    for item in items:
        values = {k.removeprefix("qualification_"): item.data[k] for k in QUALIFICATION_FIELDS if k in item.data}
        for key in ("issued", "expires"):
            if key in values:
                values[key] = datetime.date.fromisoformat(values[key])
        qualification = current.get((item.person_id, item.data["qualification_kind"]))
        if qualification is None:
            added.append(Qualification(person_id=item.person_id, kind_id=item.data["qualification_kind"], **values))
            continue
        for key, value in values.items():
            setattr(qualification, key, value)
        qualification.updated = now
        renewed.append(qualification)
    if renewed:
        fields = ["number", "issued", "expires", "updated"]
        bulk_update_with_history(renewed, Qualification, fields, batch_size=2000, **history)
    if added:
        bulk_create_with_history(added, Qualification, batch_size=2000, **history)


@transaction.atomic
def roster_change_reject(*, change: RosterChange, by: User, reason: str = "") -> RosterChange:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the unit a reason for the rejection.")})
    change = _lock_pending(change)
    _decided(change, by=by, status=RosterChangeStatusChoices.REJECTED, reason=reason.strip())
    audit_record(
        action=AuditActionChoices.REJECT,
        user=by,
        obj=change,
        changes={"status": [RosterChangeStatusChoices.PENDING, change.status]},
        detail={"reason": change.reason},
    )
    return change


@transaction.atomic
def roster_change_withdraw(*, change: RosterChange, by: User) -> RosterChange:
    """The submitter (or the unit's other liaison) takes back a request still pending."""
    change = _lock_pending(change)
    _decided(change, by=by, status=RosterChangeStatusChoices.WITHDRAWN, reason="")
    return change
