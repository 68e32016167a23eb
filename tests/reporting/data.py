"""A small hand-made data set whose figures are counted by hand in the tests.

Side A (Zhangdian, prefix 370303), March 2025:
- T1 fire rescue, county level, at the county, authorised 20: P1 (fit, 消防, firefighter valid),
  P2 (unfit, 消防, firefighter expired), P3 (fit, 驾驶); P5 left in February (not counted).
  Standby 10-12 March (48 h) and 31 March 12:00 - 1 April 12:00 (12 h inside March).
- T2 medical rescue, township level, at the township, authorised 10: P4 (fit, 医生, physician
  expiring 2025-05-15, within 90 days of 31 March).
Side B has T3 (its own people), which no side-A figure may count.
"""

import datetime
import itertools
from types import SimpleNamespace

from django.utils import timezone

from members.models import Membership, Person, Qualification, QualificationKind
from teams.models import StandbyDuty, Team, TeamType

__all__ = ["MARCH", "build"]

MARCH = (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
_n = itertools.count(1)


def _at(day, hour):
    return timezone.make_aware(datetime.datetime(2025, *day, hour))


def person(unit, name, specialty, condition="fit"):
    n = next(_n)
    return Person.objects.create(
        name=name,
        id_number_encrypted="x",
        id_number_hash=f"stat-{n}-{name}",
        id_number_masked="3703**********0000",
        birth_date=datetime.date(1990, 1, 1),
        sex="M",
        employer=unit,
        specialty=specialty,
        physical_condition=condition,
    )


def team(side, name, type_code, level, region, strength):
    return Team.objects.create(
        name=name,
        team_type=TeamType.objects.get(code=type_code),
        level=level,
        region=region,
        unit=side.unit,
        authorised_strength=strength,
    )


def build(world):
    a, b = world.a, world.b
    t1 = team(a, "张店区消防救援队", "fire_rescue", "county", a.county, 20)
    t2 = team(a, "车站街道医疗救护队", "medical_rescue", "township", a.township, 10)
    t3 = team(b, "市中区消防救援队", "fire_rescue", "county", b.county, 30)
    joined = datetime.date(2025, 1, 1)
    p1, p2, p3 = person(a.unit, "甲", "消防"), person(a.unit, "乙", "消防", "unfit"), person(a.unit, "丙", "驾驶")
    p4, p5 = person(a.child_unit, "丁", "医生"), person(a.unit, "戊", "消防")
    for p in (p1, p2, p3):
        Membership.objects.create(person=p, team=t1, joined=joined)
    Membership.objects.create(person=p4, team=t2, joined=joined)
    Membership.objects.create(person=p5, team=t1, joined=joined, left=datetime.date(2025, 2, 10))
    for p in (person(b.unit, "己", "消防"), person(b.unit, "庚", "消防")):
        Membership.objects.create(person=p, team=t3, joined=joined)
    firefighter = QualificationKind.objects.get(code="firefighter")
    physician = QualificationKind.objects.get(code="physician")
    Qualification.objects.create(person=p1, kind=firefighter, issued=datetime.date(2020, 1, 1))
    Qualification.objects.create(
        person=p2, kind=firefighter, issued=datetime.date(2019, 1, 1), expires=datetime.date(2024, 12, 31)
    )
    Qualification.objects.create(
        person=p4, kind=physician, issued=datetime.date(2018, 1, 1), expires=datetime.date(2025, 5, 15)
    )
    StandbyDuty.objects.create(
        team=t1, start=_at((3, 10), 8), end=_at((3, 12), 8), officer_name="甲", officer_phone="1"
    )
    StandbyDuty.objects.create(
        team=t1, start=_at((3, 31), 12), end=_at((4, 1), 12), officer_name="甲", officer_phone="1"
    )
    StandbyDuty.objects.create(
        team=t3, start=_at((3, 10), 8), end=_at((3, 20), 8), officer_name="己", officer_phone="1"
    )
    return SimpleNamespace(t1=t1, t2=t2, t3=t3, p1=p1, p2=p2, p3=p3, p4=p4, p5=p5)
