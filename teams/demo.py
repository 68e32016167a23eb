"""Demo teams: 37 municipal and 123 district/county teams owned by member units whose sector
fits their type, with equipment (a few short of their type's minimum) and a weekly standby
rota. Everything is found by a natural key and every figure is derived from the team's name,
so a second run (on any day) changes nothing."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from mobilization.choices import SectorChoices

from .choices import (
    ActivationStatusChoices,
    CallAnswerChoices,
    EquipmentConditionChoices,
    TeamLevelChoices,
    TeamStatusChoices,
)
from .models import Activation, Equipment, StandbyDuty, Team, TeamType
from .services import activation_order, activation_stand_down

__all__ = ["seed"]

# Member-unit sectors that raise each type of team (mobilization.choices.SectorChoices).
SECTORS = {
    "nbc_detection": ["ecology", "emergency"],
    "environment_monitoring": ["ecology"],
    "meteorological_detection": ["meteorology"],
    "emergency_communication": ["communications"],
    "radio_monitoring": ["industry", "communications"],
    "network_attack_defence": ["cyberspace"],
    "information_system_repair": ["cyberspace", "industry"],
    "road_transport": ["transportation"],
    "logistics_delivery": ["transportation"],
    "drone_reconnaissance": ["industry", "public_security"],
    "drone_delivery": ["industry", "transportation"],
    "unmanned_rescue": ["industry", "emergency"],
    "fire_rescue": ["emergency"],
    "medical_rescue": ["health"],
    "mine_rescue": ["emergency"],
    "hazchem_rescue": ["emergency"],
    "engineering_rescue": ["housing"],
    "power_supply": ["energy", "housing"],
    "fuel_water_supply": ["energy", "transportation"],
    "epidemic_prevention": ["health"],
}
# 37 municipal teams: every type once, the types a city needs most more than once.
MUNICIPAL_PLAN = [*SECTORS] + [
    "fire_rescue", "fire_rescue", "fire_rescue", "medical_rescue", "medical_rescue", "medical_rescue",
    "engineering_rescue", "engineering_rescue", "emergency_communication", "emergency_communication",
    "road_transport", "hazchem_rescue", "mine_rescue", "drone_reconnaissance", "power_supply",
    "epidemic_prevention", "network_attack_defence",
]  # fmt: skip
# 15 teams in each of the 8 districts/counties, and 3 more where industry is heaviest: 123.
COUNTY_PLAN = [
    "fire_rescue", "medical_rescue", "engineering_rescue", "road_transport", "logistics_delivery",
    "drone_reconnaissance", "drone_delivery", "epidemic_prevention", "hazchem_rescue", "mine_rescue",
    "nbc_detection", "information_system_repair", "emergency_communication", "power_supply", "fuel_water_supply",
]  # fmt: skip
COUNTY_EXTRA = {"370302000000": "mine_rescue", "370305000000": "hazchem_rescue", "370303000000": "medical_rescue"}
ORDINALS = ["", "二", "三", "四", "五"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = ["伟", "敏", "静", "磊", "洋", "勇", "艳", "军", "杰", "娟", "涛", "明", "超", "霞", "平", "刚"]
ROTA_EPOCH = date(2024, 1, 1)  # a Monday: standby weeks are counted from it


def _owner(candidates, sectors, k, fallback):
    fitting = [u for u in candidates if u.sector in sectors]
    return fitting[k % len(fitting)] if fitting else fallback


def _team(ctx, *, name, team_type, level, region, unit, rng, status=TeamStatusChoices.ACTIVE):
    team, _ = Team.objects.get_or_create(
        region=region,
        name=name,
        defaults={
            "team_type": team_type,
            "level": level,
            "unit": unit,
            "authorised_strength": team_type.min_headcount + rng.randint(1, 4),
            "established": date(rng.randint(2012, 2024), rng.randint(1, 12), 1),
            "status": status,
            "duty_phone": f"0533-{rng.randint(2000000, 8999999)}",
        },
    )
    return team


def _equipment(ctx, team, rng, short):
    for k, req in enumerate(team.team_type.equipment_requirements.all()):
        serviceable = req.min_quantity + rng.randint(0, 2)
        if short and k == 0:
            # A vehicle in the workshop leaves this team one short of its type's minimum.
            serviceable = req.min_quantity - 1
            Equipment.objects.get_or_create(
                team=team,
                item=req.item,
                condition=EquipmentConditionChoices.NEEDS_REPAIR,
                defaults={"quantity": 1, "last_checked": ctx.today - timedelta(days=rng.randint(5, 40))},
            )
        if serviceable > 0:
            Equipment.objects.get_or_create(
                team=team,
                item=req.item,
                condition=EquipmentConditionChoices.SERVICEABLE,
                defaults={"quantity": serviceable, "last_checked": ctx.today - timedelta(days=rng.randint(10, 200))},
            )


def _rota(ctx, team, index, rng):
    """One week in three on standby, Monday 08:00 to Monday 08:00, from last week to a month ahead."""
    this_week = (ctx.today - ROTA_EPOCH).days // 7
    for week in range(this_week - 1, this_week + 5):
        if (week + index) % 3:
            continue
        start = timezone.make_aware(datetime.combine(ROTA_EPOCH + timedelta(weeks=week), time(8)))
        StandbyDuty.objects.get_or_create(
            team=team,
            start=start,
            defaults={
                "end": start + timedelta(weeks=1),
                "officer_name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN]),
                "officer_phone": f"139{rng.randrange(10**8):08d}",
            },
        )


def seed(ctx):
    types = {t.code: t for t in TeamType.objects.prefetch_related("equipment_requirements__item")}
    ctx.teams = []
    plan = []  # (name, type code, level, region, candidate units, fallback unit, status)
    city_units = [u for u in ctx.units if u.region_id == ctx.city.code]
    fallback = ctx.liaison_unit
    seen = {}
    for code in MUNICIPAL_PLAN:
        k = seen[code] = seen.get(code, -1) + 1
        name = f"{ctx.city.name}{types[code].name}{ORDINALS[k]}队"
        plan.append((name, code, TeamLevelChoices.MUNICIPAL, ctx.city, city_units, k, fallback))
    for county in ctx.districts:
        bureaus = ctx.county_units[county.code]
        emergency = next((u for u in bureaus if u.sector == SectorChoices.EMERGENCY), bureaus[0])
        codes = COUNTY_PLAN + ([COUNTY_EXTRA[county.code]] if county.code in COUNTY_EXTRA else [])
        seen = {}
        for code in codes:
            k = seen[code] = seen.get(code, -1) + 1
            name = f"{county.name}{types[code].name}{ORDINALS[k]}队"
            plan.append((name, code, TeamLevelChoices.COUNTY, county, bureaus, k, emergency))
    for index, (name, code, level, region, candidates, k, fallback_unit) in enumerate(plan):
        rng = random.Random(name)
        team_type = types[code]
        status = TeamStatusChoices.STANDING_DOWN if index % 61 == 60 else TeamStatusChoices.ACTIVE
        unit = _owner(candidates, SECTORS[code], k, fallback_unit)
        team = _team(ctx, name=name, team_type=team_type, level=level, region=region, unit=unit, rng=rng, status=status)
        _equipment(ctx, team, rng, short=index % 13 == 5)
        _rota(ctx, team, index, rng)
        ctx.teams.append(team)
    _past_activation(ctx)
    municipal = sum(t.level == TeamLevelChoices.MUNICIPAL for t in ctx.teams)
    ctx.stdout.write(
        f"  teams: {len(ctx.teams)} teams ({municipal} municipal, {len(ctx.teams) - municipal} district/county), "
        f"{Equipment.objects.count()} equipment rows, {StandbyDuty.objects.count()} standby duties"
    )


def _past_activation(ctx):
    """Last summer's flood call-out, ordered and stood down, so the activation pages have history."""
    title = "淄川区特大暴雨防汛抢险启动令"
    if Activation.objects.filter(title=title).exists():
        return
    zichuan = next(d for d in ctx.districts if d.code == "370302000000")
    called = [
        t
        for t in ctx.teams
        if t.region_id == zichuan.code and t.team_type.code in ("engineering_rescue", "medical_rescue")
    ]
    called += [t for t in ctx.teams if t.unit_id == ctx.liaison_unit.pk][:1]
    ordered_at = timezone.make_aware(datetime.combine(date(ctx.today.year - 1, 7, 12), time(22, 30)))
    activation = activation_order(
        title=title,
        reason="淄川区出现特大暴雨，部分村庄受淹，启动专业保障队伍参加抢险救援。",
        region=zichuan,
        teams=called,
        by=ctx.users["office"],
        ordered_at=ordered_at,
    )
    if activation.status != ActivationStatusChoices.STOOD_DOWN:
        activation_stand_down(activation=activation, by=ctx.users["office"])


CALLOUT_TITLE = "博山区山体滑坡抢险人员召集"


def seed_late(ctx):
    """A past call-out of people with their answers (coming with an ETA, cannot come, arrived,
    silent), stood down, so the board and the personal page have history."""
    from .models import PersonCall
    from .services import callout_answer, callout_checkin, callout_people

    if Activation.objects.filter(title=CALLOUT_TITLE).exists():
        return
    teams = [t for t in ctx.teams if t.status == TeamStatusChoices.ACTIVE and t.memberships.exists()][:2]
    if not teams:
        return
    at = timezone.make_aware(datetime.combine(date(ctx.today.year - 1, 8, 3), time(6, 10)))
    activation = activation_order(
        title=CALLOUT_TITLE,
        reason="博山区发生山体滑坡，召集队员赶赴现场。",
        region=teams[0].region,
        teams=teams,
        by=ctx.users["office"],
        ordered_at=at,
    )
    callout_people(activation=activation, by=ctx.users["office"], teams=teams)
    PersonCall.objects.filter(activation=activation).update(notified_at=at)  # called then, as the order was
    rng = random.Random(CALLOUT_TITLE)
    for i, call in enumerate(PersonCall.objects.filter(activation=activation).order_by("pk")):
        answered = at + timedelta(minutes=rng.randint(1, 40))
        if i % 6 == 5:
            continue  # silent
        if i % 6 == 4:
            callout_answer(
                call=call,
                answer=CallAnswerChoices.NO,
                reason=rng.choice(["在外地出差", "身体不适", "值班无法离岗"]),
                now=answered,
            )
            continue
        callout_answer(call=call, answer=CallAnswerChoices.YES, eta_minutes=rng.randint(10, 90), now=answered)
        if i % 3 == 0:
            callout_checkin(call=call, now=answered + timedelta(minutes=rng.randint(15, 80)))
    activation_stand_down(activation=activation, by=ctx.users["office"])
    ctx.stdout.write(f"  call-out: {activation.person_calls.count()} people called in “{CALLOUT_TITLE}”")
