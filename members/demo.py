"""Demo roster: ~2,100 people in the 160 demo teams, with realistic names, valid (encrypted) ID
numbers, qualifications of the kinds their team type asks for (a few expiring within 30 days),
some teams below their type's minimum headcount, a little history across teams, and one pending
change request from the demo unit's liaison. Every value is drawn from a generator seeded by the
team's name and every row is found by a natural key (the ID number's hash), so a second run
changes nothing."""

import math
import random
from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from mobilization.crypto import encrypt, keyed_hash
from mobilization.validators import id_number_check_digit

from .choices import MembershipRoleChoices, PhysicalConditionChoices, PoliticalStatusChoices, RosterChangeSourceChoices
from .masking import mask_id_number
from .models import Membership, Person, Qualification, RosterChange
from .services import RosterRowsInvalid, person_regions_refresh, roster_change_submit

__all__ = ["seed"]

# The hundred commonest surnames carry most of the population; weights roughly as in the census.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞斌波宇浩凯健俊帆鑫亮峰成志东文博晨阳建国海龙德"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英丹萍红梅琳雪慧颖婷倩璐洁晶欣悦佳琪宁燕蕾薇月"
SPECIALTIES = {
    "rescue": ["破拆救援", "绳索救援", "水域救援", "心肺复苏", "急救护理", "危化品处置", "机械操作"],
    "communication": ["卫星通信", "光缆抢修", "网络安全", "无线电测向", "数据恢复"],
    "transport": ["重型车辆驾驶", "物流调度", "车辆维修"],
    "unmanned": ["无人机飞行", "航拍测绘", "机器人操控"],
    "environment": ["气象观测", "水质检测", "辐射监测"],
    "support": ["电力抢修", "供水保障", "消毒防疫", "炊事保障"],
}
PHONE_PREFIXES = ["135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "187", "188"]
PENDING_NOTE = "演示：补充两名新队员，一人调离"


def _name(rng, sex):
    given = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))


def _id_number(rng, region6, sex, used):
    """A valid ID number born 1968–2002 in `region6`, odd 17th digit for men, not in `used`."""
    birth = date(1968, 1, 1) + timedelta(days=rng.randrange(35 * 365))
    serial = rng.randrange(0, 999)
    while True:
        serial = (serial + 1) % 1000
        if (serial % 2 == 1) != (sex == "M"):
            continue
        body = f"{region6}{birth:%Y%m%d}{serial:03d}"
        value = body + id_number_check_digit(body)
        if value not in used:
            used.add(value)
            return value, birth


def _headcount(team, index, rng):
    """Most teams at their authorised strength; every twelfth below its type's minimum."""
    minimum = team.team_type.min_headcount
    if index % 12 == 4:
        return max(minimum - rng.randint(1, 3), 1)
    return team.authorised_strength


def _plan_team(ctx, team, index, used, counties):
    """The people of one team as dicts (deterministic from the team's name)."""
    rng = random.Random(f"members:{team.name}")
    region6 = team.region_id[:6] if team.level != "municipal" else rng.choice(counties)[:6]
    specialties = SPECIALTIES.get(team.team_type.category.code, ["综合保障"])
    people = []
    for k in range(_headcount(team, index, rng)):
        sex = (
            "F"
            if rng.random() < (0.45 if team.team_type.code in ("medical_rescue", "epidemic_prevention") else 0.15)
            else "M"
        )
        id_number, birth = _id_number(rng, region6, sex, used)
        condition = rng.random()
        people.append(
            {
                "name": _name(rng, sex),
                "id_number": id_number,
                "birth_date": birth,
                "sex": sex,
                "phone": rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
                "specialty": rng.choice(specialties),
                "physical_condition": PhysicalConditionChoices.FIT
                if condition > 0.05
                else (PhysicalConditionChoices.LIMITED if condition > 0.01 else PhysicalConditionChoices.UNFIT),
                "political_status": rng.choices(
                    [PoliticalStatusChoices.CPC, PoliticalStatusChoices.CYL, PoliticalStatusChoices.MASSES],
                    weights=[40, 15, 45],
                )[0],
                "veteran": rng.random() < 0.12,
                "emergency_contact_name": _name(rng, rng.choice("MF")),
                "emergency_contact_phone": rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
                "role": MembershipRoleChoices.LEADER
                if k == 0
                else (MembershipRoleChoices.DEPUTY if k == 1 else MembershipRoleChoices.MEMBER),
                "joined": max(team.established or date(2015, 1, 1), ctx.today - timedelta(days=rng.randint(60, 3000))),
                "rng": random.Random(f"{team.name}:{id_number}"),
            }
        )
    # The type's qualifications, held by a little more than the share it asks for.
    for requirement in team.team_type.qualification_requirements.all():
        holders = min(len(people), math.ceil(len(people) * (requirement.min_share + 15) / 100))
        for person in rng.sample(people, holders):
            person.setdefault("qualifications", []).append(requirement.kind_id)
    return people


def _expiry(ctx, rng):
    """Mostly valid for years; one in twenty-five within 30 days; a few already lapsed; some lifelong."""
    roll = rng.random()
    if roll < 0.04:
        return ctx.today + timedelta(days=rng.randint(3, 28))
    if roll < 0.07:
        return ctx.today - timedelta(days=rng.randint(10, 200))
    if roll < 0.25:
        return None
    return ctx.today + timedelta(days=rng.randint(120, 1500))


def seed(ctx):
    counties = [d.code for d in ctx.districts]
    used, plan = set(), []
    teams = sorted(ctx.teams, key=lambda t: t.name)
    for index, team in enumerate(teams):
        plan.extend((team, p) for p in _plan_team(ctx, team, index, used, counties))
    hashes = {keyed_hash(p["id_number"]): (team, p) for team, p in plan}
    existing = dict(Person.objects.filter(id_number_hash__in=list(hashes)).values_list("id_number_hash", "pk"))
    new = [
        Person(
            name=p["name"],
            id_number_encrypted=encrypt(p["id_number"]),
            id_number_hash=h,
            id_number_masked=mask_id_number(p["id_number"]),
            birth_year=p["birth_date"].year,
            sex=p["sex"],
            phone=p["phone"],
            employer_id=team.unit_id,
            specialty=p["specialty"],
            physical_condition=p["physical_condition"],
            political_status=p["political_status"],
            veteran=p["veteran"],
            emergency_contact_name=p["emergency_contact_name"],
            emergency_contact_phone=p["emergency_contact_phone"],
        )
        for h, (team, p) in hashes.items()
        if h not in existing
    ]
    bulk_create_with_history(new, Person, batch_size=1000)
    ids = dict(Person.objects.filter(id_number_hash__in=list(hashes)).values_list("id_number_hash", "pk"))
    with_membership = set(Membership.objects.filter(person_id__in=ids.values()).values_list("person_id", flat=True))
    with_qualification = set(
        Qualification.objects.filter(person_id__in=ids.values()).values_list("person_id", flat=True)
    )
    memberships, qualifications = [], []
    for index, (h, (team, p)) in enumerate(hashes.items()):
        pk, rng = ids[h], p["rng"]
        if pk not in with_membership:
            if index % 25 == 7:
                # Served in another team before: the roster keeps that history.
                earlier = teams[(teams.index(team) + 5) % len(teams)]
                left = p["joined"] - timedelta(days=rng.randint(30, 300))
                memberships.append(
                    Membership(
                        person_id=pk, team=earlier, joined=left - timedelta(days=rng.randint(200, 900)), left=left
                    )
                )
            memberships.append(Membership(person_id=pk, team=team, role=p["role"], joined=p["joined"]))
        if pk not in with_qualification:
            for kind_id in p.get("qualifications", []):
                issued = ctx.today - timedelta(days=rng.randint(200, 2500))
                qualifications.append(
                    Qualification(
                        person_id=pk,
                        kind_id=kind_id,
                        number=f"ZS{issued:%Y}{rng.randrange(10**6):06d}",
                        issued=issued,
                        expires=_expiry(ctx, rng),
                    )
                )
    bulk_create_with_history(memberships, Membership, batch_size=1000)
    bulk_create_with_history(qualifications, Qualification, batch_size=1000)
    person_regions_refresh(list(ids.values()))  # bulk writes send no signal
    _pending_change(ctx, teams, used)
    ctx.stdout.write(
        f"  members: {Person.objects.count()} persons, {Membership.objects.filter(left__isnull=True).count()} "
        f"current memberships, {Qualification.objects.count()} qualifications "
        f"({Qualification.objects.expiring_within(ctx.today).count()} expiring within 30 days)"
    )


def _pending_change(ctx, teams, used):
    """One request waiting for the office: the demo unit adds two people and moves one out."""
    if RosterChange.objects.filter(note=PENDING_NOTE).exists():
        return
    liaison = ctx.users.get("unit")
    team = next((t for t in teams if t.unit_id == ctx.liaison_unit.pk), None)
    if liaison is None or team is None:
        return
    rng = random.Random("members:pending")
    rows = []
    for number, sex in ((2, "M"), (3, "F")):
        id_number, _birth = _id_number(rng, team.region_id[:6] if team.level != "municipal" else "370303", sex, used)
        rows.append((number, {"action": "add", "team": str(team.pk), "name": _name(rng, sex), "id_number": id_number}))
    leaving = Membership.objects.filter(team=team, left__isnull=True, role="member").order_by("pk").first()
    if leaving is not None:
        rows.append((4, {"action": "remove", "person": str(leaving.person_id), "team": str(team.pk)}))
    try:
        roster_change_submit(
            by=liaison, rows=rows, source=RosterChangeSourceChoices.FORM, note=PENDING_NOTE, today=ctx.today
        )
    except RosterRowsInvalid:  # the demo roster was edited by hand; leave it be
        pass
