"""The people's share of the benchmark volume (`seed_demo --scale`, see mobilization/scale.py):
16 people in each team of the city, each with a membership (the first its leader)."""

import datetime

from mobilization.crypto import encrypt, keyed_hash
from mobilization.masking import mask_id_number
from mobilization.scale import bulk

from .choices import MembershipRoleChoices, PhysicalConditionChoices, SexChoices
from .models import Membership, Person
from .services import person_regions_refresh

__all__ = ["PEOPLE_PER_TEAM", "seed_city"]

PEOPLE_PER_TEAM = 16
SPECIALTIES = ["消防", "医生", "护士", "驾驶", "通信", "电工", "焊工", "无人机", "网络安全", "建筑", "化工", "气象"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟敏静磊洋勇艳军杰娟涛明超霞平刚华强"


def seed_city(ctx, city):
    rng = city.rng
    teams = [team for county_teams in getattr(city, "teams_by_county", []) for team in county_teams]
    people = []
    for team in teams:
        for i in range(PEOPLE_PER_TEAM):
            id_number = f"{team.region_id[:6]}19{80 + i:02d}0101{team.pk % 1000:03d}{i % 10}"
            fit = rng.random() < 0.9
            people.append(
                Person(
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    id_number_encrypted=encrypt(f"{id_number}-{team.pk}-{i}"),
                    id_number_hash=keyed_hash(f"scale-{team.pk}-{i}"),
                    id_number_masked=mask_id_number(id_number),
                    birth_year=1980 + i,
                    sex=SexChoices.MALE if i % 3 else SexChoices.FEMALE,
                    employer_id=team.unit_id,
                    specialty=SPECIALTIES[(team.pk + i) % len(SPECIALTIES)],
                    physical_condition=PhysicalConditionChoices.FIT if fit else PhysicalConditionChoices.LIMITED,
                )
            )
    people = bulk(Person, people)
    joined = datetime.date(2024, 1, 1)
    memberships, by_team = [], {}
    for n, person in enumerate(people):
        team = teams[n // PEOPLE_PER_TEAM]
        by_team.setdefault(team.pk, []).append(person.pk)
        leader = n % PEOPLE_PER_TEAM == 0
        role = MembershipRoleChoices.LEADER if leader else MembershipRoleChoices.MEMBER
        memberships.append(Membership(person=person, team=team, joined=joined, role=role))
    bulk(Membership, memberships)
    person_regions_refresh([person.pk for person in people])  # bulk writes send no signal
    city.people_by_team = by_team
