"""Small builders for the members tests: persons with real (valid, encrypted) ID numbers, teams."""

import itertools
from datetime import date

from members.models import Membership, QualificationKind
from members.services import person_create
from teams.models import Team, TeamType
from tests.base import make_id_number

_n = itertools.count(1)


def n():
    return next(_n)


def new_id_number():
    """A valid ID number never used before in this test run."""
    i = n()
    return make_id_number(i % 1000, birth=f"19{70 + (i // 1000) % 30}0101")


def make_person(unit, *, id_number=None, name=None, **fields):
    return person_create(name=name or f"人员{n()}", id_number=id_number or new_id_number(), employer=unit, **fields)


def make_team(side, *, unit=None, name=None, **fields):
    return Team.objects.create(
        name=name or f"测试队{n()}",
        team_type=fields.pop("team_type", None) or TeamType.objects.get(code="fire_rescue"),
        level=fields.pop("level", "county"),
        region=fields.pop("region", side.county),
        unit=unit or side.unit,
        authorised_strength=fields.pop("authorised_strength", 12),
        **fields,
    )


def make_member(team, *, role="member", joined=date(2020, 1, 1), **fields):
    person = make_person(team.unit, **fields)
    Membership.objects.create(person=person, team=team, role=role, joined=joined)
    return person


def make_kind():
    i = n()
    return QualificationKind.objects.create(code=f"kind{i}", name=f"资格{i}")


def add_row(team):
    """A change row adding a new person to `team`."""
    return {"action": "add", "team": str(team.pk), "name": f"新队员{n()}", "id_number": new_id_number()}


def make_change(by, side):
    """A pending request of `side`'s unit adding one new person to a new team of that side."""
    from members.services import roster_change_submit

    return roster_change_submit(by=by, rows=[(1, add_row(make_team(side)))], source="api", unit=side.unit)
