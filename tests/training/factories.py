"""Small builders for the training tests: exercises with teams and expected members, drills."""

import datetime
import itertools

from django.utils import timezone

from tests.teams.factories import add_member, make_team
from training.models import AlarmTestDrill, Assessment, Attendance, Competition, Exercise, TrainingPlan

__all__ = [
    "add_member",
    "make_assessment",
    "make_attendance",
    "make_drill",
    "make_exercise",
    "make_plan",
    "make_team",
    "next_year",
]

_n = itertools.count(1)


def n():
    return next(_n)


def next_year():
    """A valid plan year (2001-2099), distinct from the last 98 handed out: enough for one test."""
    return 2001 + next(_n) % 99


def make_plan(side, **fields):
    return TrainingPlan.objects.create(
        office=fields.pop("office", side.office), year=fields.pop("year", next_year()), title=f"训练计划{n()}", **fields
    )


def make_exercise(side, *, teams=None, start=datetime.date(2026, 5, 10), **fields):
    exercise = Exercise.objects.create(
        title=fields.pop("title", f"演练{n()}"),
        level=fields.pop("level", "county"),
        kind=fields.pop("kind", "single_subject"),
        subject=fields.pop("subject", "消防救援"),
        office=fields.pop("office", side.office),
        start_date=start,
        end_date=fields.pop("end_date", start),
        status=fields.pop("status", "completed"),
        **fields,
    )
    exercise.teams.set(teams if teams is not None else [make_team(side)])
    return exercise


def make_attendance(side, **fields):
    exercise = make_exercise(side)
    team = exercise.teams.get()
    return Attendance.objects.create(exercise=exercise, team=team, person=add_member(team), **fields)


def make_assessment(side, score="85.00", **fields):
    exercise = make_exercise(side)
    return Assessment.objects.create(exercise=exercise, team=exercise.teams.get(), score=score, **fields)


def make_competition(side):
    competition = Competition.objects.create(name=f"技能竞赛{n()}", year=2026, office=side.office)
    make_exercise(side, kind="competition", competition=competition, stage=1)
    return competition


def make_drill(side, *, year=None, teams=None, **fields):
    year = year or 2030 + n()
    drill = AlarmTestDrill.objects.create(
        region=fields.pop("region", side.county),
        title=fields.pop("title", f"{year}年防空警报试鸣"),
        scheduled_at=timezone.make_aware(datetime.datetime(year, 9, 18, 10, 0), timezone.get_default_timezone()),
        **fields,
    )
    drill.teams.set(teams if teams is not None else [make_team(side)])
    return drill
