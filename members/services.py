"""Services of the roster: persons and their protected ID numbers, roster change requests
(validated whole, set-based, then applied in one transaction on approval), qualification
extensions and expiry warnings, and the roster export. Admin, API, portal and tasks call these."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mobilization.choices import AuditActionChoices, AuditOutcomeChoices, RoleChoices
from mobilization.crypto import decrypt, encrypt, keyed_hash
from mobilization.models import MemberUnit, UserProfile
from mobilization.querysets import region_prefix
from mobilization.services import audit_record, notify
from mobilization.validators import (
    id_number_birth_date,
    id_number_sex,
    normalize_id_number,
    validate_id_number,
    validate_mobile_phone,
)
from teams.choices import TeamStatusChoices
from teams.models import Team

from . import rosterfile
from .choices import MembershipRoleChoices, RosterChangeActionChoices, RosterChangeStatusChoices
from .masking import mask_id_number, phone_for
from .models import Membership, Person, Qualification, QualificationKind, RosterChange, RosterChangeItem

__all__ = [
    "PERSON_FIELDS",
    "RosterChanged",
    "RosterRowsInvalid",
    "person_create",
    "person_reveal_id_number",
    "person_update",
    "qualification_kind_extend",
    "qualifications_warn_expiring",
    "roster_change_approve",
    "roster_change_import",
    "roster_change_reject",
    "roster_change_submit",
    "roster_change_withdraw",
    "roster_export_workbook",
]

# Person fields a roster change may set (beyond name), with how a proposed value is read.
PERSON_FIELDS = (
    "name",
    "phone",
    "specialty",
    "physical_condition",
    "political_status",
    "veteran",
    "emergency_contact_name",
    "emergency_contact_phone",
)
EDITABLE_FIELDS = (*PERSON_FIELDS, "employer", "role")
# A row may also add or renew one qualification of its person: these keys of a row name it, and
# an item's `data` holds the kind's id and name plus the values that change (`before`: the old ones).
QUALIFICATION_FIELDS = ("qualification_number", "qualification_issued", "qualification_expires")
QUALIFICATION_KEYS = ("qualification_kind", "qualification_kind_name", *QUALIFICATION_FIELDS)
A = RosterChangeActionChoices


class RosterRowsInvalid(Exception):
    """A roster change (a file, a form, an API body) has bad rows; nothing was saved."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


class RosterChanged(Exception):
    """The roster a pending request was made against has changed since: approval is refused."""


# --- persons -------------------------------------------------------------------------------


def _id_number_fields(id_number):
    value = normalize_id_number(id_number)
    validate_id_number(value)
    return {
        "id_number_encrypted": encrypt(value),
        "id_number_hash": keyed_hash(value),
        "id_number_masked": mask_id_number(value),
        "birth_date": id_number_birth_date(value),
        "sex": id_number_sex(value),
    }


def _set_id_number(person, id_number):
    try:
        values = _id_number_fields(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    clash = Person.objects.filter(id_number_hash=values["id_number_hash"]).exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError({"id_number": _("A person with this ID number is already on the roster.")})
    for name, value in values.items():
        setattr(person, name, value)


@transaction.atomic
def person_create(*, name, id_number, employer, by=None, **fields):
    """Put a new person on the roster; the ID number is validated, encrypted and hashed."""
    person = Person(name=name, employer=employer, **fields)
    _set_id_number(person, id_number)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person, by=None, id_number=None, **fields):
    for name, value in fields.items():
        setattr(person, name, value)
    if id_number:
        _set_id_number(person, id_number)
    person.full_clean()
    person.save()
    return person


def person_reveal_id_number(*, person, by, request=None):
    """The full ID number, for a user holding `members.reveal_id_number`; every reveal is audited."""
    if not by.has_perm("members.reveal_id_number"):
        audit_record(
            action=AuditActionChoices.REVEAL,
            outcome=AuditOutcomeChoices.REFUSED,
            request=request,
            user=by,
            obj=person,
            detail={"field": "id_number"},
        )
        raise PermissionError("members.reveal_id_number")
    value = decrypt(person.id_number_encrypted)
    audit_record(action=AuditActionChoices.REVEAL, request=request, user=by, obj=person, detail={"field": "id_number"})
    return value


# --- reading proposed values -----------------------------------------------------------------


def _parse_date(text):
    text = (text or "").strip().split(" ")[0].split("T")[0]
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _choice(key, text):
    """A coded value from its Chinese word (as the template lists it) or its code."""
    words = rosterfile.VALUE_LISTS[key]
    if text in words:
        return words[text]
    if text in words.values() or (key == "veteran" and text.lower() in ("true", "false", "1", "0")):
        return text.lower() in ("true", "1") if key == "veteran" else text
    raise KeyError(text)


@dataclass
class _Row:
    number: int
    values: dict
    action: str = ""
    id_number: str = ""
    id_hash: str = ""
    person: dict | None = None
    team: dict | None = None
    data: dict = field(default_factory=dict)
    before: dict = field(default_factory=dict)
    qualification: dict = field(default_factory=dict)  # proposed kind text, number, issued, expires
    bad: bool = False
    duplicate: bool = False  # names a person another row already names: checked on that row only


class _Checker:
    """Validates a whole roster change at once: per-row checks first, then one query per
    lookup for all rows (persons by hash, teams, employers, visibility), then cross-row checks."""

    def __init__(self, *, user, today, column_names):
        self.user, self.today, self.column_names = user, today, column_names
        self.errors = []

    def error(self, row, key, message):
        row.bad = True
        self.errors.append({"row": row.number, "column": self.column_names.get(key, key), "message": str(message)})

    def run(self, records):
        rows = [
            _Row(number, {k: (v if isinstance(v, str) else str(v)).strip() for k, v in values.items() if v is not None})
            for number, values in records
        ]
        if not rows:
            raise RosterRowsInvalid([{"row": 0, "column": "", "message": _("The change holds no rows.")}])
        for row in rows:
            self.check_fields(row)
        self.check_duplicates(rows)
        self.load(rows)
        self.check_same_person(rows)
        for row in rows:
            if row.action and not row.duplicate and (row.id_hash or row.values.get("person")):
                getattr(self, f"check_{row.action}")(row)
        if self.errors:
            raise RosterRowsInvalid(sorted(self.errors, key=lambda e: (e["row"], e["column"])))
        return rows

    # per row, no database
    def check_fields(self, row):
        v = row.values
        action = v.get("action", "")
        try:
            row.action = _choice("action", action) if action else ""
        except KeyError:
            self.error(row, "action", _("Unknown action “%(value)s”: use 新增, 修改 or 移出.") % {"value": action})
        if not action:
            self.error(row, "action", _("This field is required."))
        raw_id = normalize_id_number(v.get("id_number", ""))
        if not raw_id and not v.get("person"):
            self.error(row, "id_number", _("This field is required."))
        elif raw_id:
            try:
                validate_id_number(raw_id)
                row.id_number, row.id_hash = raw_id, keyed_hash(raw_id)
            except ValidationError as exc:
                self.error(row, "id_number", exc.messages[0])
        for key in ("phone", "emergency_contact_phone"):
            if v.get(key):
                try:
                    validate_mobile_phone(v[key])
                    row.data[key] = v[key]
                except ValidationError as exc:
                    self.error(row, key, exc.messages[0])
        for key in ("joined", "left"):
            try:
                day = _parse_date(v.get(key))
                if day:
                    row.data[key] = day.isoformat()
            except ValueError:
                self.error(row, key, _("“%(value)s” is not a date: write it as 2026-01-31.") % {"value": v[key]})
        for key in ("role", "physical_condition", "political_status", "veteran"):
            if v.get(key):
                try:
                    row.data[key] = _choice(key, v[key])
                except KeyError:
                    words = "、".join(w for w in rosterfile.VALUE_LISTS[key] if w != "良好")
                    self.error(row, key, _("“%(value)s” is not one of: %(words)s.") % {"value": v[key], "words": words})
        for key in ("name", "specialty", "emergency_contact_name"):
            if v.get(key):
                limit = 100 if key == "specialty" else 50
                if len(v[key]) > limit:
                    self.error(row, key, _("At most %(n)d characters.") % {"n": limit})
                else:
                    row.data[key] = v[key]
        self.check_qualification_fields(row)

    def check_qualification_fields(self, row):
        v, q = row.values, row.qualification
        if not any(v.get(k) for k in ("qualification_kind", *QUALIFICATION_FIELDS)):
            return
        errors = len(self.errors)
        if not v.get("qualification_kind"):
            self.error(row, "qualification_kind", _("This field is required."))
        q["kind"] = v.get("qualification_kind", "")
        if len(v.get("qualification_number", "")) > 64:
            self.error(row, "qualification_number", _("At most %(n)d characters.") % {"n": 64})
        elif v.get("qualification_number"):
            q["number"] = v["qualification_number"]
        for key in ("qualification_issued", "qualification_expires"):
            try:
                day = _parse_date(v.get(key))
            except ValueError:
                self.error(row, key, _("“%(value)s” is not a date: write it as 2026-01-31.") % {"value": v[key]})
                continue
            if day:
                q[key.removeprefix("qualification_")] = day
        if q.get("issued") and q["issued"] > self.today:
            self.error(row, "qualification_issued", _("A certificate cannot be issued in the future."))
        if q.get("issued") and q.get("expires") and q["expires"] < q["issued"]:
            self.error(row, "qualification_expires", _("A qualification cannot expire before it is issued."))
        elif q.get("expires") and q["expires"] < self.today:
            # Proposing a certificate already past its expiry is a mistyped year far more often than not.
            self.error(row, "qualification_expires", _("This certificate has already expired."))
        # Reported once: the checks against the roster skip a qualification already found bad.
        q["bad"] = len(self.errors) > errors

    def check_duplicates(self, rows):
        seen = {}
        for row in rows:
            if not row.id_hash:
                continue
            if row.id_hash in seen:
                self.error(
                    row,
                    "id_number",
                    _("This ID number is already in row %(row)d of this change.") % {"row": seen[row.id_hash]},
                )
                row.duplicate = True  # checked once, on its first row
            else:
                seen[row.id_hash] = row.number

    def check_same_person(self, rows):
        """Two rows naming one person, one by ID number and one by `person` id (or both by id),
        would be merged or dropped on approval: the later row is refused."""
        seen = {}
        for row in rows:
            if row.duplicate:
                continue
            if row.id_hash:
                person, key = self.persons.get(row.id_hash), "id_number"
            else:
                person, key = self.persons_by_id.get(_person_id(row)), "person"
            if person is None:
                continue
            if person["id"] in seen:
                self.error(
                    row, key, _("This person is already in row %(row)d of this change.") % {"row": seen[person["id"]]}
                )
                row.duplicate = True
            else:
                seen[person["id"]] = row.number

    # one query per lookup, for all rows
    def load(self, rows):
        hashes = {r.id_hash for r in rows if r.id_hash}
        person_ids = {_person_id(r) for r in rows} - {None}
        persons = Person.objects.filter(Q(id_number_hash__in=hashes) | Q(pk__in=person_ids)).with_current_team()
        fields = (
            "id",
            "id_number_hash",
            "id_number_masked",
            "employer_id",
            "employer__name",
            "current_team_id",
            "current_role",
            *PERSON_FIELDS,
        )
        self.persons = {p["id_number_hash"]: p for p in persons.values(*fields)}
        self.persons_by_id = {p["id"]: p for p in self.persons.values()}
        self.visible_persons = set(
            Person.objects.visible_to(self.user).filter(pk__in=list(self.persons_by_id)).values_list("pk", flat=True)
        )
        names = {r.values["team"] for r in rows if r.values.get("team")}
        numeric = {int(n) for n in names if n.isdigit()}
        current = {p["current_team_id"] for p in self.persons.values() if p["current_team_id"]}
        teams = Team.objects.filter(Q(name__in=names) | Q(pk__in=numeric | current))
        self.teams = {t["id"]: t for t in teams.values("id", "name", "status", "unit_id", "unit__name")}
        self.team_unit_names = {t["unit_id"]: t["unit__name"] for t in self.teams.values()}
        self.visible_teams = set(
            Team.objects.visible_to(self.user).filter(pk__in=list(self.teams)).values_list("pk", flat=True)
        )
        self.teams_by_name = defaultdict(list)
        for team in self.teams.values():
            self.teams_by_name[team["name"]].append(team)
        employers = {r.values["employer"] for r in rows if r.values.get("employer")}
        units = MemberUnit.objects.filter(name__in=employers).values("id", "name")
        self.unit_names = {}
        self.units_by_name = defaultdict(list)
        for unit in units:
            self.units_by_name[unit["name"]].append(unit["id"])
            self.unit_names[unit["id"]] = unit["name"]
        self.visible_units = set(
            MemberUnit.objects.visible_to(self.user).filter(name__in=employers).values_list("pk", flat=True)
        )
        self.load_qualifications(rows)

    def load_qualifications(self, rows):
        """The kinds the rows name (by code or name) and the persons' qualifications of those kinds:
        two queries whatever the number of rows, none when no row names a qualification."""
        self.kinds_by_code, self.kinds_by_name, self.qualifications = {}, defaultdict(list), {}
        texts = {r.qualification["kind"] for r in rows if r.qualification.get("kind")}
        if not texts:
            return
        for kind in QualificationKind.objects.filter(Q(code__in=texts) | Q(name__in=texts)).values(
            "id", "code", "name"
        ):
            self.kinds_by_code[kind["code"]] = kind
            self.kinds_by_name[kind["name"]].append(kind)
        kind_ids = {k["id"] for k in self.kinds_by_code.values()}
        if kind_ids and self.persons_by_id:
            held = Qualification.objects.filter(person_id__in=list(self.persons_by_id), kind_id__in=kind_ids)
            self.qualifications = _current_qualifications(held.values("id", "person_id", "kind_id", *_QUAL_VALUES))

    # per row, against what was loaded
    def find_person(self, row):
        if row.id_hash:
            return self.persons.get(row.id_hash)
        person = self.persons_by_id.get(_person_id(row))
        if person is None:
            self.error(row, "person", _("No such person on your roster."))
        return person

    def find_team(self, row, *, required):
        text = row.values.get("team", "")
        if not text:
            if required:
                self.error(row, "team", _("This field is required."))
            return None
        found = (
            [self.teams[int(text)]] if text.isdigit() and int(text) in self.teams else self.teams_by_name.get(text, [])
        )
        if not found:
            self.error(row, "team", _("There is no team named “%(value)s”.") % {"value": text})
            return None
        mine = [t for t in found if t["id"] in self.visible_teams]
        if not mine:
            self.error(row, "team", _("The team “%(value)s” is not one of your unit's teams.") % {"value": text})
            return None
        if len(mine) > 1:
            self.error(row, "team", _("Several of your teams are named “%(value)s”.") % {"value": text})
            return None
        return mine[0]

    def find_employer(self, row):
        text = row.values.get("employer", "")
        if not text:
            return None
        ids = self.units_by_name.get(text)
        if not ids:
            self.error(row, "employer", _("There is no member unit named “%(value)s”.") % {"value": text})
            return None
        mine = [i for i in ids if i in self.visible_units]
        if not mine:
            self.error(row, "employer", _("The unit “%(value)s” is outside your scope.") % {"value": text})
            return None
        return mine[0]

    def find_kind(self, row):
        text = row.qualification["kind"]
        if text in self.kinds_by_code:
            return self.kinds_by_code[text]
        found = self.kinds_by_name.get(text, [])
        if not found:
            self.error(row, "qualification_kind", _("There is no qualification kind “%(value)s”.") % {"value": text})
            return None
        if len(found) > 1:
            message = _("Several qualification kinds are named “%(value)s”: write its code.")
            self.error(row, "qualification_kind", message % {"value": text})
            return None
        return found[0]

    def qualification_change(self, row, person):
        """(data, before) for the qualification a row adds or renews, or None when it names none,
        changes nothing or is bad (then with its error). Renewing updates the person's current
        qualification of the kind, so its dates are checked together with the proposed ones."""
        q = row.qualification
        if not q.get("kind") or q["bad"]:
            return None
        kind = self.find_kind(row)
        if kind is None:
            return None
        held = self.qualifications.get((person["id"], kind["id"])) if person else None
        proposed = {f"qualification_{k}": q[k] for k in ("number", "issued", "expires") if k in q}
        if held is None and "qualification_issued" not in proposed:
            self.error(row, "qualification_issued", _("This field is required for a new qualification."))
            return None
        # A renewal giving one date only is checked against the held certificate's other date (two
        # proposed dates out of order were refused in check_qualification_fields, so never get here).
        merged = {**(held or {}), **proposed}
        issued, expires = merged.get("qualification_issued"), merged.get("qualification_expires")
        if issued and expires and expires < issued:
            self.error(row, "qualification_expires", _("A qualification cannot expire before it is issued."))
            return None
        changed = {k: v for k, v in proposed.items() if held is None or held.get(k) != v}
        if not changed:
            return None
        data = {"qualification_kind": kind["id"], "qualification_kind_name": kind["name"]}
        data.update({k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in changed.items()})
        before = {}
        if held is not None:
            before = {k: held[k].isoformat() if isinstance(held[k], datetime.date) else held[k] for k in changed}
        return data, before

    def check_add(self, row):
        team = self.find_team(row, required=True)
        person = self.find_person(row)
        employer = self.find_employer(row)
        if team is not None and team["status"] != TeamStatusChoices.ACTIVE:
            label = TeamStatusChoices(team["status"]).label
            message = _("The team “%(team)s” is not active (%(status)s): it takes no new members.")
            self.error(row, "team", message % {"team": team["name"], "status": label})
            team = None
        qualification = self.qualification_change(row, person)
        if person is not None:
            current_team = person["current_team_id"]
            if current_team and current_team == (team or {}).get("id"):
                self.error(row, "id_number", _("This person is already in this team."))
            elif current_team in self.visible_teams:
                where = self.teams[current_team]["name"]
                self.error(row, "id_number", _("This person is already in another team (%(team)s).") % {"team": where})
            elif current_team:
                # The other team is outside the requester's scope: naming it would let anyone
                # holding an ID number learn where that person serves.
                self.error(row, "id_number", _("This person is already in another team."))
            row.person = person
        elif not row.values.get("name"):
            self.error(row, "name", _("This field is required for a person new to the roster."))
        if team is None or row.bad:
            return
        row.team = team
        row.data.setdefault("role", MembershipRoleChoices.MEMBER)
        row.data.setdefault("joined", self.today.isoformat())
        row.data.pop("left", None)
        if person is None:
            row.data["employer"] = employer or team["unit_id"]
            row.data["employer_name"] = self.unit_names.get(employer) or self.team_unit_names.get(team["unit_id"], "")
            row.data["birth_date"] = id_number_birth_date(row.id_number).isoformat()
            row.data["sex"] = id_number_sex(row.id_number)
        else:
            # An existing person joins as they are: only the membership (and a qualification) is proposed.
            row.data = {k: row.data[k] for k in ("role", "joined")}
        if qualification is not None:
            row.data.update(qualification[0])
            row.before.update(qualification[1])

    def _mine(self, row):
        person = self.find_person(row)
        if person is None:
            if row.id_hash:
                self.error(row, "id_number", _("No person with this ID number is on the roster."))
            return None
        if person["id"] not in self.visible_persons:
            self.error(row, "id_number", _("This person is not on your roster."))
            return None
        return person

    def check_edit(self, row):
        person = self._mine(row)
        employer = self.find_employer(row)
        team = self.find_team(row, required=False)
        if person is None or row.bad:
            return
        if team is not None and team["id"] != person["current_team_id"]:
            self.error(row, "team", _("To move a person to another team, remove them and add them to the new team."))
            return
        if "role" in row.data and not person["current_team_id"]:
            self.error(row, "role", _("This person is in no team."))
            return
        qualification = self.qualification_change(row, person)
        if row.bad:
            return
        data = {k: row.data[k] for k in EDITABLE_FIELDS if k in row.data}
        if employer:
            data["employer"] = employer
        current = {**person, "employer": person["employer_id"], "role": person["current_role"]}
        changed = {k: v for k, v in data.items() if current.get(k) != v}
        if not changed and qualification is None:
            self.error(row, "action", _("This row changes nothing."))
            return
        row.before = {k: current.get(k) for k in changed}
        if qualification is not None:
            changed.update(qualification[0])
            row.before.update(qualification[1])
        if "employer" in changed:
            changed["employer_name"] = self.unit_names[employer]
            row.before["employer_name"] = person["employer__name"]
        row.person, row.data = person, changed
        row.team = self.teams.get(person["current_team_id"])

    def check_remove(self, row):
        person = self._mine(row)
        team = self.find_team(row, required=False)
        if row.qualification:
            self.error(row, "qualification_kind", _("A removal cannot add or renew a qualification."))
        if person is None or row.bad:
            return
        current = self.teams.get(person["current_team_id"])
        if current is None or current["id"] not in self.visible_teams:
            self.error(row, "id_number", _("This person is in none of your teams."))
            return
        if team is not None and team["id"] != current["id"]:
            self.error(row, "team", _("This person is in “%(team)s”, not in this team.") % {"team": current["name"]})
            return
        row.person, row.team = person, current
        row.data = {"left": row.data.get("left") or self.today.isoformat()}
        row.before = {"team": current["name"], "role": person["current_role"]}


def _person_id(row):
    """The `person` id a row names (edits and removals may name a person so), or None."""
    value = str(row.values.get("person", ""))
    return int(value) if value.isdigit() else None


_QUAL_VALUES = ("number", "issued", "expires")


def _current_qualifications(rows):
    """{(person id, kind id): {qualification_number, _issued, _expires, id}}: of several of one
    kind (nothing forbids them), the one issued last is the one a renewal replaces."""
    result = {}
    for row in sorted(rows, key=lambda r: (r["issued"], r["id"])):
        result[(row["person_id"], row["kind_id"])] = {
            "id": row["id"],
            **{f"qualification_{k}": row[k] for k in _QUAL_VALUES},
        }
    return result


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
def roster_change_submit(*, by, rows, source, unit=None, note="", file_name="", column_names=None, today=None):
    """Validate proposed rows as a whole and, if every row is good, save them as ONE pending request.

    rows: (row number, {column key: text}); column_names maps keys to the names errors should use
    (the Chinese headers for files). Raises RosterRowsInvalid with every bad row, saving nothing."""
    today = today or timezone.localdate()
    unit = _default_unit(by, unit)
    checked = _Checker(user=by, today=today, column_names=column_names or {}).run(rows)
    change = RosterChange(unit=unit, submitted_by=by, source=source, note=note, file_name=file_name[:200])
    items = [
        RosterChangeItem(
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
        for row in checked
    ]
    change.base_version = _change_fingerprint(items)
    change.full_clean()
    change.save()
    # Items are written once, with their request, and never edited: the request's own history
    # records its life, so the items skip a history row each (a third of a 10,000-row import's cost).
    RosterChangeItem.objects.bulk_create(items, batch_size=2000)
    return change


def roster_change_import(*, by, upload, unit=None, note="", today=None):
    """A roster spreadsheet (.xlsx or .csv) becomes one pending change request, or nothing.

    Raises rosterfile.UploadRefused for a file of the wrong kind, RosterRowsInvalid for bad rows."""
    file_name = getattr(upload, "name", "") or ""
    try:
        rows = rosterfile.read_upload(upload)
        change = roster_change_submit(
            by=by,
            rows=rows,
            source="upload",
            unit=unit,
            note=note,
            file_name=file_name,
            column_names=rosterfile.HEADERS,
            today=today,
        )
    except (rosterfile.UploadRefused, RosterRowsInvalid) as exc:
        errors = getattr(exc, "errors", None) or []
        audit_record(
            action=AuditActionChoices.IMPORT,
            user=by,
            outcome=AuditOutcomeChoices.FAILURE,
            detail={"file": file_name[:200], "errors": len(errors) or 1},
        )
        raise
    audit_record(
        action=AuditActionChoices.IMPORT,
        user=by,
        obj=change,
        detail={"file": file_name[:200], "rows": len(rows)},
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
            kind="roster_change",
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
def roster_change_approve(*, change, by, reason="", request=None):
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
            birth_date=datetime.date.fromisoformat(i.data["birth_date"]),
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
def roster_change_reject(*, change, by, reason=""):
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
def roster_change_withdraw(*, change, by):
    """The submitter (or the unit's other liaison) takes back a request still pending."""
    change = _lock_pending(change)
    _decided(change, by=by, status=RosterChangeStatusChoices.WITHDRAWN, reason="")
    return change


# --- qualifications ---------------------------------------------------------------------------


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


# --- export -------------------------------------------------------------------------------


EXPORT_HEADERS = [
    "姓名",
    "公民身份号码",
    "性别",
    "出生日期",
    "手机号码",
    "工作单位",
    "所在队伍",
    "队内职务",
    "入队日期",
    "专业特长",
    "身体状况",
    "政治面貌",
    "退役军人",
    "紧急联系人",
    "紧急联系人电话",
    "资格证书",
]


def roster_export_workbook(*, by, request=None, queryset=None):
    """The roster `by` may see as an .xlsx workbook (ID numbers masked, phones as their role
    allows), with one audit record for the export."""
    from openpyxl import Workbook

    persons = (queryset if queryset is not None else Person.objects.all()).visible_to(by)
    persons = (
        persons.select_related("employer")
        .prefetch_related("qualifications__kind")
        .order_by("employer_id", "name", "pk")
    )
    current = {
        m.person_id: m
        for m in Membership.objects.current().filter(person__in=persons.values("pk")).select_related("team")
    }
    labels = rosterfile.LABELS
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(EXPORT_HEADERS)
    count = 0
    for p in persons.iterator(chunk_size=1000):
        m = current.get(p.pk)
        ws.append(
            [
                p.name,
                p.id_number_masked,
                "男" if p.sex == "M" else "女",
                p.birth_date,
                phone_for(by, p.phone),
                p.employer.name,
                m.team.name if m else "",
                labels["role"].get(m.role, m.role) if m else "",
                m.joined if m else None,
                p.specialty,
                labels["physical_condition"].get(p.physical_condition, ""),
                labels["political_status"].get(p.political_status, ""),
                "是" if p.veteran else "否",
                p.emergency_contact_name,
                phone_for(by, p.emergency_contact_phone),
                "；".join(f"{q.kind.name}（{q.expires or '长期'}）" for q in p.qualifications.all()),
            ]
        )
        count += 1
    audit_record(
        action=AuditActionChoices.EXPORT, request=request, user=by, detail={"model": "members.Person", "rows": count}
    )
    return rosterfile.workbook_bytes(wb)
