"""Small builders for the teams tests: teams, members with qualifications, equipment."""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from members.models import Membership, Person, Qualification, QualificationKind
from teams.models import (
    Equipment,
    EquipmentItem,
    Team,
    TeamCategory,
    TeamType,
    TypeEquipmentRequirement,
    TypeQualificationRequirement,
)

_n = itertools.count(1)


def n():
    return next(_n)


def make_type(*, min_headcount=4, share=50, quantity=2):
    """A type needing `min_headcount` members, `share`% holding kind K, `quantity` serviceable item I."""
    i = n()
    category = TeamCategory.objects.get_or_create(code="test", defaults={"name": "测试类别"})[0]
    team_type = TeamType.objects.create(
        category=category, code=f"t{i}", name=f"测试类型{i}", min_headcount=min_headcount
    )
    kind = QualificationKind.objects.create(code=f"k{i}", name=f"资格{i}")
    item = EquipmentItem.objects.create(code=f"i{i}", name=f"装备{i}", unit="台")
    TypeQualificationRequirement.objects.create(team_type=team_type, kind=kind, min_share=share)
    TypeEquipmentRequirement.objects.create(team_type=team_type, item=item, min_quantity=quantity)
    return team_type, kind, item


def make_team(side, *, team_type=None, unit=None, strength=12, **fields):
    team_type = team_type or TeamType.objects.get(code="fire_rescue")
    return Team.objects.create(
        name=fields.pop("name", f"队伍{n()}"),
        team_type=team_type,
        level=fields.pop("level", "county"),
        region=fields.pop("region", side.county),
        unit=unit or side.unit,
        authorised_strength=strength,
        **fields,
    )


def add_member(
    team,
    *,
    fit=True,
    kinds=(),
    expires=None,
    issued=None,
    joined=None,
    left=None,
    role="member",
    away_until=None,
    phone="",
    name=None,
):
    """A person in `team` holding a qualification of each of `kinds`."""
    i = n()
    today = timezone.localdate()
    person = Person.objects.create(
        name=name or f"队员{i}",
        id_number_encrypted="-",
        id_number_hash=f"test-{i}",
        id_number_masked="3703**********0000",
        birth_date=date(1990, 1, 1),
        sex="M",
        employer=team.unit,
        physical_condition="fit" if fit else "unfit",
        unavailable_until=away_until,
        unavailable_reason="travel" if away_until else "",
        phone=phone,
    )
    Membership.objects.create(person=person, team=team, role=role, joined=joined or date(2020, 1, 1), left=left)
    for kind in kinds:
        Qualification.objects.create(
            person=person, kind=kind, issued=issued or today - timedelta(days=365), expires=expires
        )
    return person


def add_equipment(team, item, quantity, condition="serviceable"):
    return Equipment.objects.create(team=team, item=item, quantity=quantity, condition=condition)
