"""Demo training: the city's approved plan for last year with the exercises it held (attendance
for every expected member, an assessment for every team, close to the targets: participation
above 95%, excellent above 80%), a two-stage fire rescue competition, last year's 9.18 alarm test
with its evacuation drill and the next 9.18 drill. Everything is found by a natural key and each
figure is drawn from a generator seeded by the exercise's title, so a second run changes nothing."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from teams.models import Team

from .choices import (
    AttendanceStatusChoices,
    ExerciseKindChoices,
    ExerciseLevelChoices,
    ExerciseStatusChoices,
    PlanStatusChoices,
)
from .models import (
    AlarmTestDrill,
    Assessment,
    Attendance,
    Competition,
    Exercise,
    GradeThresholds,
    PlanItem,
    TrainingPlan,
)
from .services import competition_advance, exercise_expect_attendance

__all__ = ["seed"]

K = ExerciseKindChoices
# (month, day, title, kind, subject, hours, team type codes): the municipal exercises of the year.
MUNICIPAL = [
    (3, 14, "网络攻防单项训练", K.SINGLE_SUBJECT, "网络攻防", 16,
     ["network_attack_defence", "information_system_repair", "radio_monitoring"]),
    (4, 18, "医疗救护单项训练", K.SINGLE_SUBJECT, "医疗救护", 16, ["medical_rescue", "epidemic_prevention"]),
    (5, 16, "消防救援实兵实装综合演练", K.COMPREHENSIVE, "消防救援", 24,
     ["fire_rescue", "hazchem_rescue", "mine_rescue", "engineering_rescue"]),
    (5, 28, "无人化力量军地联合训练", K.JOINT, "无人机侦察与投送", 24,
     ["drone_reconnaissance", "drone_delivery", "unmanned_rescue", "road_transport", "logistics_delivery"]),
    (6, 20, "重要经济目标防护演练", K.KEY_TARGET, "重要目标防护", 16,
     ["power_supply", "fuel_water_supply", "nbc_detection", "environment_monitoring", "meteorological_detection"]),
    (7, 11, "跨区域应急支援演练", K.CROSS_REGIONAL, "跨区域支援", 24, ["medical_rescue", "engineering_rescue"]),
    (9, 18, "\u201c9.18\u201d防空警报试鸣暨人员疏散演练", K.EVACUATION, "人员疏散", 8,
     ["epidemic_prevention", "road_transport", "emergency_communication"]),
    (10, 24, "应急通信保障综合演练", K.COMPREHENSIVE, "应急通信", 16,
     ["emergency_communication", "radio_monitoring", "meteorological_detection"]),
]  # fmt: skip
COMPETITION = ("消防救援技能竞赛", "消防救援", [(8, 15, "初赛"), (10, 10, "决赛")], 6)
COUNTY_EXERCISE = (11, 14, "专业保障队伍年度综合训练", K.COMPREHENSIVE, "年度综合训练")
ATTENDANCE_SHARES = [(AttendanceStatusChoices.PRESENT, 955), (AttendanceStatusChoices.EXCUSED, 15)]  # per mille


def _drill_time(year):
    return timezone.make_aware(datetime.datetime(year, 9, 18, 10, 0), timezone.get_default_timezone())


def _exercise(ctx, *, office, title, kind, subject, day, level, teams, item=None, **fields):
    exercise, created = Exercise.objects.get_or_create(
        office=office,
        title=title,
        start_date=day,
        defaults={
            "level": level,
            "kind": kind,
            "subject": subject,
            "end_date": day,
            "location": f"{office.region.name}应急训练基地",
            "plan_item": item,
            "status": ExerciseStatusChoices.COMPLETED if day < ctx.today else ExerciseStatusChoices.PLANNED,
            **fields,
        },
    )
    if created:
        exercise.teams.set(teams)
        exercise.units.set({t.unit_id for t in teams})
    return exercise


def _results(exercise, thresholds):
    """Attendance for the expected and a score for each team, drawn from the exercise's own generator."""
    if exercise.status != ExerciseStatusChoices.COMPLETED:
        return
    exercise_expect_attendance(exercise=exercise)
    rng = random.Random(f"training:{exercise.title}:{exercise.start_date}")
    rows = list(Attendance.objects.filter(exercise=exercise, status=AttendanceStatusChoices.EXPECTED).order_by("pk"))
    for row in rows:
        draw, row.status = rng.randrange(1000), AttendanceStatusChoices.ABSENT
        for status, share in ATTENDANCE_SHARES:
            if draw < share:
                row.status = status
                break
            draw -= share
        row.recorded_at = timezone.make_aware(datetime.datetime.combine(exercise.end_date, datetime.time(17)))
    Attendance.objects.bulk_update(rows, ["status", "recorded_at"])
    assessed = set(Assessment.objects.filter(exercise=exercise).values_list("team_id", flat=True))
    new = []
    for team in exercise.teams.order_by("pk"):
        if team.pk in assessed:
            continue
        band = rng.random()
        low, high = (90, 99) if band < 0.84 else (80, 89) if band < 0.97 else (65, 79)
        score = Decimal(rng.randint(low * 10, high * 10)) / 10
        new.append(Assessment(exercise=exercise, team=team, score=score, grade=thresholds.grade(score), remarks=""))
    Assessment.objects.bulk_create(new)


def seed(ctx):
    teams = list(Team.objects.filter(region__code__startswith=ctx.city.code[:4]).select_related("team_type"))
    by_type = {}
    for team in teams:
        by_type.setdefault(team.team_type.code, []).append(team)
    office = ctx.city_office
    year = ctx.today.year - 1  # the last full year: plan, exercises, results
    thresholds = GradeThresholds.objects.get_or_create(year=year)[0]

    plan, created = TrainingPlan.objects.get_or_create(
        office=office, year=year, defaults={"title": f"{office.name}{year}年度训练计划"}
    )
    if created:
        TrainingPlan.objects.filter(pk=plan.pk).update(
            status=PlanStatusChoices.APPROVED,
            approved_by=ctx.users["office"],
            approved_at=timezone.make_aware(datetime.datetime(year, 1, 15, 9, 0)),
        )
    TrainingPlan.objects.get_or_create(
        office=office, year=ctx.today.year, defaults={"title": f"{office.name}{ctx.today.year}年度训练计划"}
    )

    drill, created = AlarmTestDrill.objects.get_or_create(
        region=ctx.city,
        year=year,
        defaults={"title": f"{year}年{ctx.city.name}防空警报试鸣", "scheduled_at": _drill_time(year)},
    )
    exercises = []
    for month, day, title, kind, subject, hours, codes in MUNICIPAL:
        item = PlanItem.objects.get_or_create(
            plan=plan, subject=title, defaults={"planned_month": month, "hours": hours}
        )[0]
        chosen = [t for code in codes for t in by_type.get(code, [])]
        extra = {"drill": drill} if kind == K.EVACUATION else {}
        exercises.append(
            _exercise(
                ctx, office=office, title=f"{year}年{title}", kind=kind, subject=subject,
                day=datetime.date(year, month, day), level=ExerciseLevelChoices.MUNICIPAL, teams=chosen, item=item, **extra,
            )
        )  # fmt: skip
    evacuation = exercises[-2]
    if created:
        drill.teams.set(evacuation.teams.all())
        drill.units.set([*evacuation.units.all(), ctx.liaison_unit])

    name, subject, stages, top = COMPETITION
    competition = Competition.objects.get_or_create(office=office, name=f"{year}年{name}", year=year)[0]
    stage_exercises = []
    for number, (month, day, label) in enumerate(stages, start=1):
        stage_exercises.append(
            _exercise(
                ctx, office=office, title=f"{year}年{name}{label}", kind=K.COMPETITION, subject=subject,
                day=datetime.date(year, month, day), level=ExerciseLevelChoices.MUNICIPAL,
                teams=by_type.get("fire_rescue", []) if number == 1 else [], competition=competition, stage=number,
            )
        )  # fmt: skip

    month, day, title, kind, subject = COUNTY_EXERCISE
    for county in ctx.districts:
        county_teams = [t for t in teams if t.region_id == county.code]
        exercises.append(
            _exercise(
                ctx, office=ctx.district_offices[county.code], title=f"{year}年{county.name}{title}", kind=kind,
                subject=subject, day=datetime.date(year, month, day), level=ExerciseLevelChoices.COUNTY, teams=county_teams,
            )
        )  # fmt: skip

    for exercise in exercises:
        _results(exercise, thresholds)
    first, final = stage_exercises
    _results(first, thresholds)
    if not final.teams.exists() and first.assessments.exists():
        competition_advance(competition=competition, stage=1, top=top)
    _results(final, thresholds)

    # The next 9.18: this year's if it is still ahead, else next year's, with the rescue teams.
    next_year = ctx.today.year if ctx.today <= datetime.date(ctx.today.year, 9, 18) else ctx.today.year + 1
    upcoming, created = AlarmTestDrill.objects.get_or_create(
        region=ctx.city,
        year=next_year,
        defaults={"title": f"{next_year}年{ctx.city.name}防空警报试鸣", "scheduled_at": _drill_time(next_year)},
    )
    if created:
        upcoming.teams.set(evacuation.teams.all())
        upcoming.units.set([*evacuation.units.all(), ctx.liaison_unit])
    ctx.stdout.write(
        f"  training: {Exercise.objects.count()} exercises, {Attendance.objects.count()} attendances, "
        f"{Assessment.objects.count()} assessments, {AlarmTestDrill.objects.count()} alarm test drills"
    )
