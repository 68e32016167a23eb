"""Volume for the benchmarks: `seed_demo --scale province|nation` adds, after the demo city,

- province: the other 15 cities of Shandong (16 with the demo's Zibo), each with 6 districts of
  3 townships: 96 district offices, ~850 member units, ~2,500 teams, ~40,000 people with their
  memberships, a year of exercises (each team at four) with attendance (~160,000 rows) and
  ~50,000 inspection reports on ~1,600 facilities;
- nation: the same for 24 more provinces (~1,000,000 people, ~62,000 teams).

Rows are written with bulk_create, a city per transaction; a city that exists is skipped, so a
second run changes nothing. Parts whose app is not installed are left out.
"""

import datetime
import random

from django.apps import apps
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from ..choices import OfficeLevelChoices, RegionLevelChoices, SectorChoices, UnitKindChoices
from ..crypto import encrypt, keyed_hash
from ..masking import mask_id_number
from ..models import MemberUnit, Office, Region

__all__ = ["seed"]

SHANDONG_CITIES = [
    ("01", "济南市"), ("02", "青岛市"), ("04", "枣庄市"), ("05", "东营市"), ("06", "烟台市"), ("07", "潍坊市"),
    ("08", "济宁市"), ("09", "泰安市"), ("10", "威海市"), ("11", "日照市"), ("13", "临沂市"), ("14", "德州市"),
    ("15", "聊城市"), ("16", "滨州市"), ("17", "菏泽市"),
]  # fmt: skip
OTHER_PROVINCES = [
    ("11", "北京市"), ("12", "天津市"), ("13", "河北省"), ("14", "山西省"), ("15", "内蒙古自治区"), ("21", "辽宁省"),
    ("22", "吉林省"), ("23", "黑龙江省"), ("31", "上海市"), ("32", "江苏省"), ("33", "浙江省"), ("34", "安徽省"),
    ("35", "福建省"), ("36", "江西省"), ("41", "河南省"), ("42", "湖北省"), ("43", "湖南省"), ("44", "广东省"),
    ("45", "广西壮族自治区"), ("50", "重庆市"), ("51", "四川省"), ("52", "贵州省"), ("53", "云南省"), ("61", "陕西省"),
]  # fmt: skip
COUNTIES, TOWNSHIPS = 6, 3
UNITS_PER_COUNTY, TEAMS_PER_COUNTY, PEOPLE_PER_TEAM = 9, 26, 16
FACILITIES_PER_TOWNSHIP, REPORTS_PER_FACILITY = 6, 31
SECTORS = [s for s in SectorChoices.values if s != SectorChoices.OTHER]
SPECIALTIES = ["消防", "医生", "护士", "驾驶", "通信", "电工", "焊工", "无人机", "网络安全", "建筑", "化工", "气象"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟敏静磊洋勇艳军杰娟涛明超霞平刚华强"
BATCH = 5000


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


def seed(ctx):
    Region.objects.get_or_create(code="370000000000", defaults={"name": "山东省", "level": RegionLevelChoices.PROVINCE})
    cities = [(f"37{cc}", name, "370000000000") for cc, name in SHANDONG_CITIES]
    if ctx.scale == "nation":
        for pp, province in OTHER_PROVINCES:
            Region.objects.get_or_create(
                code=f"{pp}0000000000", defaults={"name": province, "level": RegionLevelChoices.PROVINCE}
            )
            cities += [(f"{pp}{n:02d}", f"{province[:2]}第{n}市", f"{pp}0000000000") for n in range(1, 17)]
    made = 0
    for code, name, province in cities:
        if Region.objects.filter(code=f"{code}00000000").exists():
            continue
        with transaction.atomic():
            _city(ctx, code, name, province)
        made += 1
        ctx.stdout.write(f"  {name} ({code}) seeded [{made}]")
    ctx.stdout.write(f"Scale {ctx.scale}: {made} cities added, {len(cities) - made} already there.")


def _city(ctx, code, name, province):
    rng = random.Random(code)
    city = Region.objects.create(code=f"{code}00000000", name=name, level=RegionLevelChoices.CITY, parent_id=province)
    Office.objects.create(region=city, name=f"{name}国防动员办公室", level=OfficeLevelChoices.CITY)
    counties = _bulk(
        Region,
        [
            Region(
                code=f"{code}{c:02d}000000", name=f"{name[:-1]}第{c}区", level=RegionLevelChoices.COUNTY, parent=city
            )
            for c in range(1, COUNTIES + 1)
        ],
    )
    offices = _bulk(
        Office, [Office(region=c, name=f"{c.name}国防动员办公室", level=OfficeLevelChoices.COUNTY) for c in counties]
    )
    townships = _bulk(
        Region,
        [
            Region(
                code=f"{c.code[:6]}{t:03d}000",
                name=f"{c.name}第{t}街道",
                level=RegionLevelChoices.TOWNSHIP,
                parent=c,
            )
            for c in counties
            for t in range(1, TOWNSHIPS + 1)
        ],
    )
    units = _units(code, name, counties)
    teams = _teams(ctx, rng, counties, townships, units)
    people_by_team = _people(rng, teams)
    _exercises(ctx, rng, counties, offices, teams, people_by_team)
    _inspections(ctx, rng, townships)


def _units(code, city_name, counties):
    from ..demo import credit_code_for

    units = []
    for ci, county in enumerate(counties):
        for u in range(UNITS_PER_COUNTY):
            sector = SECTORS[(ci + u) % len(SECTORS)]
            kind = [UnitKindChoices.GOVERNMENT, UnitKindChoices.INSTITUTION, UnitKindChoices.ENTERPRISE][u % 3]
            units.append(
                MemberUnit(
                    name=f"{county.name}{SectorChoices(sector).label}单位{u + 1}",
                    credit_code=credit_code_for(kind, county.code, 500000 + ci * 100 + u),
                    kind=kind,
                    sector=sector,
                    region=county,
                )
            )
    units = _bulk(MemberUnit, units)
    MemberUnit.objects.filter(pk__in=[u.pk for u in units]).update(
        tree_path=Concat(Cast("id", CharField()), Value("/"))
    )
    return units


def _teams(ctx, rng, counties, townships, units):
    Team, TeamType = _model("teams.Team"), _model("teams.TeamType")
    if Team is None:
        return []
    types = list(TeamType.objects.order_by("code"))
    teams = []
    for ci, county in enumerate(counties):
        county_units = units[ci * UNITS_PER_COUNTY : (ci + 1) * UNITS_PER_COUNTY]
        county_townships = townships[ci * TOWNSHIPS : (ci + 1) * TOWNSHIPS]
        for t in range(TEAMS_PER_COUNTY):
            team_type = types[(ci * TEAMS_PER_COUNTY + t) % len(types)]
            township = t % 3 == 2
            region = county_townships[t % TOWNSHIPS] if township else county
            teams.append(
                Team(
                    name=f"{region.name}{team_type.name}{t + 1}队",
                    team_type=team_type,
                    level="township" if township else "county",
                    region=region,
                    unit=county_units[t % UNITS_PER_COUNTY],
                    authorised_strength=PEOPLE_PER_TEAM + rng.randrange(0, 5),
                    established=datetime.date(2020, 1, 1),
                )
            )
    return _bulk(Team, teams)


def _people(rng, teams):
    Person, Membership = _model("members.Person"), _model("members.Membership")
    if Person is None or not teams:
        return {}
    people = []
    for team in teams:
        for i in range(PEOPLE_PER_TEAM):
            id_number = f"{team.region_id[:6]}19{80 + i:02d}0101{team.pk % 1000:03d}{i % 10}"
            people.append(
                Person(
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    id_number_encrypted=encrypt(f"{id_number}-{team.pk}-{i}"),
                    id_number_hash=keyed_hash(f"scale-{team.pk}-{i}"),
                    id_number_masked=mask_id_number(id_number),
                    birth_year=1980 + i,
                    sex="M" if i % 3 else "F",
                    employer_id=team.unit_id,
                    specialty=SPECIALTIES[(team.pk + i) % len(SPECIALTIES)],
                    physical_condition="fit" if rng.random() < 0.9 else "limited",
                )
            )
    people = _bulk(Person, people)
    joined = datetime.date(2024, 1, 1)
    memberships, by_team = [], {}
    for n, person in enumerate(people):
        team = teams[n // PEOPLE_PER_TEAM]
        by_team.setdefault(team.pk, []).append(person.pk)
        role = "leader" if n % PEOPLE_PER_TEAM == 0 else "member"
        memberships.append(Membership(person=person, team=team, joined=joined, role=role))
    _bulk(Membership, memberships)
    return by_team


def _exercises(ctx, rng, counties, offices, teams, people_by_team):
    """Twelve monthly county exercises in the year before today; each team is at four of them."""
    Exercise, Attendance = _model("training.Exercise"), _model("training.Attendance")
    if Exercise is None or not teams:
        return
    kinds = ["single_subject", "comprehensive", "joint", "key_target", "evacuation"]
    first = datetime.date(ctx.today.year - 1, ctx.today.month, 1)
    exercises, plan = [], []
    for ci, (county, office) in enumerate(zip(counties, offices, strict=True)):
        county_teams = teams[ci * TEAMS_PER_COUNTY : (ci + 1) * TEAMS_PER_COUNTY]
        for m in range(12):
            day = datetime.date(first.year + (first.month - 1 + m) // 12, (first.month - 1 + m) % 12 + 1, 10)
            exercises.append(
                Exercise(
                    title=f"{county.name}{day:%Y年%m月}训练演练",
                    level="county",
                    kind=kinds[m % len(kinds)],
                    subject="综合救援",
                    office=office,
                    start_date=day,
                    end_date=day + datetime.timedelta(days=1),
                    location=county.name,
                    status="completed",
                )
            )
            plan.append([t for i, t in enumerate(county_teams) if i % 3 == m % 3])
    exercises = _bulk(Exercise, exercises)
    through = Exercise.teams.through
    through_rows = [(e.pk, t.pk) for e, ts in zip(exercises, plan, strict=True) for t in ts]
    _bulk(through, [through(exercise_id=e, team_id=t) for e, t in through_rows])
    Assessment = _model("training.Assessment")
    if Assessment is not None:
        scores = [rng.randrange(6000, 9900) / 100 for _ in range(len(through_rows))]
        _bulk(
            Assessment,
            [
                Assessment(exercise_id=e, team_id=t, score=score, grade=_grade(score))
                for (e, t), score in zip(through_rows, scores, strict=True)
            ],
        )
    if Attendance is None:
        return
    statuses = ["present"] * 17 + ["absent", "absent", "excused"]
    rows = [
        Attendance(exercise=e, person_id=p, team=t, status=rng.choice(statuses))
        for e, ts in zip(exercises, plan, strict=True)
        for t in ts
        for p in people_by_team.get(t.pk, [])
    ]
    _bulk(Attendance, rows)


def _grade(score):
    return "excellent" if score >= 90 else "good" if score >= 80 else "pass" if score >= 60 else "fail"


def _inspections(ctx, rng, townships):
    Facility, Report = _model("inspections.Facility"), _model("inspections.InspectionReport")
    inspector = (getattr(ctx, "users", None) or {}).get("inspector")
    if Facility is None or Report is None or inspector is None:
        return
    kinds = ["civil_defence_works", "alarm_siren", "reserve_warehouse", "emergency_shelter"]
    facilities = _bulk(
        Facility,
        [
            Facility(kind=kinds[f % len(kinds)], name=f"{t.name}设施{f + 1}", address=f"{t.name}{f + 1}号", region=t)
            for t in townships
            for f in range(FACILITIES_PER_TOWNSHIP)
        ],
    )
    start = ctx.today - datetime.timedelta(days=365)
    severities = ["none"] * 8 + ["minor", "major"]
    rows = []
    for facility in facilities:
        for r in range(REPORTS_PER_FACILITY):
            day = start + datetime.timedelta(days=r * 12 + rng.randrange(12))
            rows.append(
                Report(
                    facility=facility,
                    inspector=inspector,
                    status="reviewed",
                    inspected_on=day,
                    submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(17))),
                    severity=rng.choice(severities),
                    findings="",
                )
            )
    _bulk(Report, rows)
