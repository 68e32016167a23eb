"""The roster-change validator: every proposed row (from a file, a form or an API body) checked
per row, then against the roster in one query per lookup for all rows, then across rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from mobilization.crypto import keyed_hash, keyed_hashes
from mobilization.models import MemberUnit
from mobilization.validators import (
    id_number_birth_date,
    id_number_sex,
    normalize_id_number,
    validate_id_number,
    validate_mobile_phone,
)
from teams.choices import TeamStatusChoices
from teams.models import Team

from .. import rosterfile
from ..choices import MembershipRoleChoices
from ..models import Person, Qualification, QualificationKind
from .fields import EDITABLE_FIELDS, PERSON_FIELDS, QUALIFICATION_FIELDS

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class RosterRowsInvalid(Exception):
    """A roster change (a file, a form, an API body) has bad rows; nothing was saved."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


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

    def __init__(self, *, user, today, column_names, progress=None):
        self.user, self.today, self.column_names = user, today, column_names
        self.progress = progress or (lambda done, total: None)
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
        for done, row in enumerate(rows, start=1):
            if row.action and not row.duplicate and (row.id_hash or row.values.get("person")):
                getattr(self, f"check_{row.action}")(row)
            self.progress(done, len(rows))
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
        # Every key version's hash: during a key rotation a person may still be stored under the old one.
        hashes = {h: r.id_hash for r in rows if r.id_hash for h in keyed_hashes(r.id_number)}
        person_ids = {_person_id(r) for r in rows} - {None}
        persons = Person.objects.filter(Q(id_number_hash__in=list(hashes)) | Q(pk__in=person_ids)).with_current_team()
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
        self.persons = {hashes.get(p["id_number_hash"], p["id_number_hash"]): p for p in persons.values(*fields)}
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
            row.data["birth_year"] = id_number_birth_date(row.id_number).year
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


def roster_rows_validate(
    *,
    user: User,
    records: Iterable[tuple[int, Mapping[str, Any]]],
    today: datetime.date,
    column_names: Mapping[str, str],
    progress=None,
) -> list[_Row]:
    """The proposed rows of one change, each resolved against the roster `user` may change.

    records: (row number, {column key: text}); column_names maps keys to the names errors use;
    progress(done, total), if given, is called as rows are checked. Raises RosterRowsInvalid
    with every bad row."""
    return _Checker(user=user, today=today, column_names=column_names, progress=progress).run(records)
