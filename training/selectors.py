"""Reads of the training app: the rates table against the targets, competition standings, the
drill report, who is expected at an exercise, and who takes part in and is reminded of a 9.18
drill and when. Selectors only read; they never import services."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.choices import MembershipRoleChoices
from members.models import Membership
from mobilization.choices import RoleChoices
from mobilization.fields import hashed_in
from mobilization.querysets import region_prefix
from mobilization.workqueue import work_item

from .choices import ExerciseStatusChoices
from .models import AlarmTestDrill, Assessment, Attendance, Exercise, GradeThresholds

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from mobilization.models import MemberUnit
    from teams.models import Team

    from .models import Competition


__all__ = [
    "competition_standings",
    "drill_leader_phones",
    "drill_participating_teams",
    "drill_participating_units",
    "drill_recipients",
    "drill_reminder_due_lead",
    "drill_report",
    "drills_coming",
    "exercise_expected_memberships",
    "exercises_coming",
    "rates_table",
]


def _met(rate, target):
    return None if rate is None else rate > target


def rates_table(*, user: User, by: str, year: int | None = None) -> dict[str, Any]:
    """Participation, good-or-better and excellent rates per group, as the user may see them,
    each against the year's targets. Every count and ratio is computed by the database; the two
    grouped queries are joined here on their key."""
    targets = GradeThresholds.for_year(year or timezone.localdate().year)
    attendance = {row["key"]: row for row in Attendance.objects.visible_to(user).participation_by(by, year)}
    grades = {row["key"]: row for row in Assessment.objects.visible_to(user).grade_rates_by(by, year)}
    results = []
    for key in sorted(attendance.keys() | grades.keys(), key=lambda k: (str(type(k)), k)):
        a, g = attendance.get(key, {}), grades.get(key, {})
        row = {
            "key": key,
            "label": a.get("label", g.get("label")),
            "expected": a.get("expected", 0),
            "present": a.get("present", 0),
            "participation_rate": a.get("participation_rate"),
            "assessed": g.get("assessed", 0),
            "good_or_better": g.get("good_or_better", 0),
            "excellent": g.get("excellent", 0),
            "good_rate": g.get("good_rate"),
            "excellent_rate": g.get("excellent_rate"),
        }
        row["participation_met"] = _met(row["participation_rate"], targets.participation_target)
        row["excellent_met"] = _met(row["excellent_rate"], targets.excellent_target)
        results.append(row)
    return {
        "by": by,
        "year": year,
        "targets": {"participation": targets.participation_target, "excellent": targets.excellent_target},
        "results": results,
    }


def competition_standings(*, competition: Competition, user: User) -> dict[str, list[Any]]:
    """The standings of `competition`, ranked among every team that took part, with the rows of
    the teams `user` may see: a liaison learns where its own team really stands without being
    shown the other units' teams."""
    from teams.models import Team

    visible = set(
        Team.objects.visible_to(user)
        .filter(assessments__exercise__competition=competition)
        .values_list("pk", flat=True)
    )
    return {
        "stages": [a for a in Assessment.objects.stage_standings(competition) if a.team_id in visible],
        "overall": [row for row in Assessment.objects.overall_standings(competition) if row["team_id"] in visible],
    }


def drill_report(*, drill: AlarmTestDrill, user: User) -> dict[str, Any]:
    """Per member unit taking part (the drill's own, those of its teams and of its exercises'
    teams): the attendance figures of the drill's exercises and each person's status. A unit
    nobody was recorded for is listed with zeros: a unit that stayed away must show."""
    from mobilization.models import MemberUnit

    rows = Attendance.objects.visible_to(user).filter(exercise__drill=drill)
    people = {}
    for attendance in rows.select_related("person", "team", "exercise").order_by("team__unit_id", "person__name"):
        people.setdefault(attendance.team.unit_id, []).append(attendance)
    figures = {unit["unit_id"]: unit for unit in rows.by_unit()}
    participating = MemberUnit.objects.visible_to(user).filter(
        pk__in=drill_participating_units(drill=drill).values("pk")
    )
    for pk, name in participating.values_list("pk", "name"):
        figures.setdefault(
            pk,
            {"unit_id": pk, "unit_name": name, "expected": 0, "present": 0, "excused": 0, "absent": 0,
             "participation_rate": None},
        )  # fmt: skip
    ordered = sorted(figures.values(), key=lambda unit: (unit["unit_name"] or "", unit["unit_id"] or 0))
    units = [{**unit, "people": people.get(unit["unit_id"], [])} for unit in ordered]
    return {"drill": drill.pk, "units": units}


def exercise_expected_memberships(*, exercise: Exercise) -> QuerySet[Membership]:
    """Memberships active on the exercise's first day in its participating teams."""
    day = exercise.start_date
    return Membership.objects.filter(team__in=exercise.teams.all(), joined__lte=day).filter(
        Q(left__isnull=True) | Q(left__gt=day)
    )


# --- the 9.18 alarm test drill: who takes part, who is reminded, and when -------------------------


def drill_participating_teams(*, drill: AlarmTestDrill) -> QuerySet[Team]:
    from teams.models import Team

    return Team.objects.filter(Q(alarm_test_drills=drill) | Q(exercises__drill=drill)).distinct()


def drill_participating_units(*, drill: AlarmTestDrill) -> QuerySet[MemberUnit]:
    from mobilization.models import MemberUnit

    teams = drill_participating_teams(drill=drill)
    return MemberUnit.objects.filter(
        Q(alarm_test_drills=drill) | Q(exercises__drill=drill) | Q(pk__in=teams.values("unit_id"))
    ).distinct()


def drill_leader_phones(*, drill: AlarmTestDrill) -> set[str]:
    """The mobile phones of the current leaders of the teams taking part in `drill`."""
    teams = drill_participating_teams(drill=drill)
    leaders = Membership.objects.filter(
        team__in=teams, role=MembershipRoleChoices.LEADER, joined__lte=drill.local_date
    ).filter(Q(left__isnull=True) | Q(left__gt=drill.local_date))
    return set(leaders.exclude(person__phone="").values_list("person__phone", flat=True))


def drill_recipients(*, drill: AlarmTestDrill, leader_phones: set[str] | None = None) -> QuerySet[User]:
    """The users reminded of `drill`, as one queryset: office staff of the drill's region and the
    regions below it; liaisons of the participating member units; and team leaders who have an
    account (the user whose profile carries the leader's mobile phone). Leaders without one are
    reached by SMS alone (`drill_reminder_send`).

    The participating units and the leaders' phones are few: they are read first, so that the
    query over every user (100,000 in the benchmark) is a plain indexed filter, not a subquery per row."""
    User = get_user_model()
    units = list(drill_participating_units(drill=drill).values_list("pk", flat=True))
    phones = drill_leader_phones(drill=drill) if leader_phones is None else leader_phones
    who = Q(profile__role=RoleChoices.OFFICE_STAFF, profile__region__code__startswith=region_prefix(drill.region_id))
    if units:
        who |= Q(profile__role=RoleChoices.UNIT_LIAISON, profile__member_unit__in=units)
    if phones:
        who |= Q(**hashed_in("profile__phone", phones))
    return User.objects.filter(is_active=True).filter(who)


def drill_reminder_due_lead(*, drill: AlarmTestDrill, today: datetime.date) -> int | None:
    """The lead time whose reminder is due on `today` (a Beijing date), or None.

    It is the shortest lead time not shorter than the days left: on 30 days before, the
    30-day reminder; from 7 days before, the 7-day one. A day the job did not run is
    caught up the next day, and a reminder overtaken by a later one is not sent late."""
    days_left = (drill.local_date - today).days
    if days_left < 0:
        return None
    due = [lead for lead in drill.lead_days if lead >= days_left]
    return min(due) if due else None


# --- the work queue (mobilization.workqueue) -----------------------------------------------------

# Exercises and drills within this many days are "coming".
COMING_DAYS = 30


def _coming(today):
    return {"start_date__gte": today, "start_date__lte": today + datetime.timedelta(days=COMING_DAYS)}


@work_item(
    "exercises_coming",
    _("Exercises within 30 days"),
    order=40,
    permission="training.view_exercise",
    admin=("admin:training_exercise_changelist", _coming),
    portal=("portal:training-exercises", {}),
)
def exercises_coming(*, user: User, today: datetime.date) -> QuerySet[Exercise]:
    return Exercise.objects.visible_to(user).filter(status=ExerciseStatusChoices.PLANNED, **_coming(today))


def _drills_coming(today):
    return {"scheduled_at__date__gte": today, "scheduled_at__date__lte": today + datetime.timedelta(days=COMING_DAYS)}


@work_item(
    "alarm_drills_coming",
    _("Air-raid alarm tests within 30 days"),
    order=41,
    permission="training.view_alarmtestdrill",
    admin=("admin:training_alarmtestdrill_changelist", _drills_coming),
)
def drills_coming(*, user: User, today: datetime.date) -> QuerySet[AlarmTestDrill]:
    return AlarmTestDrill.objects.visible_to(user).filter(**_drills_coming(today))
