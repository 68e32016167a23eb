"""Every rule of the training app that changes state: approving plans, materialising and recording
attendance, regrading, advancing competition teams, and the exactly-once 9.18 drill reminders.

Admin actions, API views, portal pages, Celery tasks and management commands all call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilization.choices import AuditActionChoices, NotificationKindChoices
from mobilization.kept_regions import kept_regions_rebuild
from mobilization.roles import may_change_grade_thresholds
from mobilization.services import audit_record, notify

from .choices import AttendanceStatusChoices, PlanStatusChoices
from .models import AlarmTestDrill, Assessment, Attendance, Exercise, ExerciseRegion, GradeThresholds, TrainingPlan
from .selectors import drill_leader_phones, drill_recipients, drill_reminder_due_lead, exercise_expected_memberships

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .models import Competition


__all__ = [
    "attendance_record",
    "attendance_save",
    "competition_advance",
    "drill_reminder_send",
    "drill_reminders_send_due",
    "exercise_expect_attendance",
    "exercise_regions_refresh",
    "grade_thresholds_delete",
    "grade_thresholds_save",
    "training_plan_approve",
]

RECORDABLE = (AttendanceStatusChoices.PRESENT, AttendanceStatusChoices.ABSENT, AttendanceStatusChoices.EXCUSED)


@transaction.atomic
def training_plan_approve(*, plan: TrainingPlan, by: User) -> TrainingPlan:
    """Approve a draft plan; an approved plan stays approved."""
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatusChoices.APPROVED:
        raise ValidationError(_("This plan is already approved."))
    if not plan.items.exists():
        raise ValidationError(_("A plan without items cannot be approved."))
    before = plan.status
    plan.status, plan.approved_by, plan.approved_at = PlanStatusChoices.APPROVED, by, timezone.now()
    plan.full_clean()
    plan.save()
    audit_record(action=AuditActionChoices.APPROVE, user=by, obj=plan, changes={"status": [before, plan.status]})
    return plan


def _ensure_thresholds_manager(by):
    if not may_change_grade_thresholds(by):
        raise PermissionDenied(_("Only a city or higher office may change grade thresholds and targets."))


def _regrade_from(year):
    """Regrade every assessment from `year` on under the thresholds that now apply, one UPDATE per year."""
    years = (
        Assessment.objects.filter(exercise__start_date__year__gte=year)
        .values_list("exercise__start_date__year", flat=True)
        .distinct()
    )
    for each in sorted(set(years)):
        t = GradeThresholds.for_year(each)
        Assessment.objects.filter(exercise__start_date__year=each).update(
            grade=Case(
                When(score__gte=t.excellent_min, then=Value("excellent")),
                When(score__gte=t.good_min, then=Value("good")),
                When(score__gte=t.pass_min, then=Value("pass")),
                default=Value("fail"),
            )
        )


@transaction.atomic
def grade_thresholds_save(*, thresholds: GradeThresholds, by: User) -> GradeThresholds:
    """Save a year's thresholds and regrade every assessment they now apply to (that year and
    the following years without thresholds of their own)."""
    _ensure_thresholds_manager(by)
    thresholds.full_clean()
    thresholds.save()
    _regrade_from(thresholds.year)
    return thresholds


@transaction.atomic
def grade_thresholds_delete(*, thresholds: GradeThresholds, by: User) -> None:
    """Delete a year's thresholds: its assessments fall back to the nearest earlier year's."""
    _ensure_thresholds_manager(by)
    year = thresholds.year
    thresholds.delete()
    _regrade_from(year)


def exercise_regions_refresh(exercises=None):
    """Rebuild the kept regions (`ExerciseRegion`) of `exercises` (ids, or a queryset of exercises
    or of their ids; None: every exercise): the organising office's region and those of the teams
    and member units taking part. Two statements whatever their number: a delete and one
    INSERT … SELECT of the union."""
    exercise = Exercise._meta
    office = exercise.get_field("office").related_model._meta
    teams, units = exercise.get_field("teams"), exercise.get_field("units")
    team, unit = teams.related_model._meta, units.related_model._meta
    team_links, unit_links = teams.remote_field.through._meta, units.remote_field.through._meta
    kept_regions_rebuild(
        ExerciseRegion,
        Exercise,
        exercises,
        [
            (
                f"SELECT e.id, o.region_id FROM {exercise.db_table} e JOIN {office.db_table} o ON o.id = e.office_id",
                "e.id",
            ),
            (
                f"SELECT l.{teams.m2m_column_name()}, t.region_id FROM {team_links.db_table} l "
                f"JOIN {team.db_table} t ON t.id = l.{teams.m2m_reverse_name()}",
                f"l.{teams.m2m_column_name()}",
            ),
            (
                f"SELECT l.{units.m2m_column_name()}, u.region_id FROM {unit_links.db_table} l "
                f"JOIN {unit.db_table} u ON u.id = l.{units.m2m_reverse_name()}",
                f"l.{units.m2m_column_name()}",
            ),
        ],
    )


def exercise_expect_attendance(*, exercise: Exercise) -> int:
    """Make one attendance row for each person expected at `exercise`, and drop the unrecorded
    rows of people no longer expected (a team withdrawn, a date moved). Safe to run again."""
    expected = dict(exercise_expected_memberships(exercise=exercise).values_list("person_id", "team_id"))
    existing = set(Attendance.objects.filter(exercise=exercise).values_list("person_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(exercise=exercise, person_id=p, team_id=t) for p, t in expected.items() if p not in existing],
        ignore_conflicts=True,
    )
    Attendance.objects.filter(exercise=exercise, status=AttendanceStatusChoices.EXPECTED).exclude(
        person_id__in=list(expected)
    ).delete()
    return len(expected)


@transaction.atomic
def attendance_save(*, attendance: Attendance, by: User) -> Attendance:
    """Save one attendance row (a stand-in added by the office, or a correction). The person must
    serve in one of the exercise's teams' places: the row's team must take part in the exercise."""
    if attendance.team_id and not attendance.exercise.teams.filter(pk=attendance.team_id).exists():
        raise ValidationError({"team": _("This team does not take part in the exercise.")})
    if attendance.status != AttendanceStatusChoices.EXPECTED:
        attendance.recorded_by, attendance.recorded_at = by, timezone.now()
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def attendance_record(*, exercise: Exercise, entries: Iterable[Mapping[str, Any]], by: User) -> int:
    """Record attendance in bulk: `entries` are {"person", "status", "note"} for people expected at
    `exercise` whom `by` may see (a liaison: the members of its unit's teams). All or nothing."""
    exercise_expect_attendance(exercise=exercise)
    wanted = {}
    for entry in entries:
        status = entry.get("status")
        if status not in RECORDABLE:
            raise ValidationError({"status": _("Unknown attendance status: %(status)s") % {"status": status}})
        wanted[int(getattr(entry["person"], "pk", entry["person"]))] = (status, entry.get("note") or "")
    rows = list(Attendance.objects.visible_to(by).filter(exercise=exercise, person_id__in=list(wanted)))
    missing = set(wanted) - {row.person_id for row in rows}
    if missing:
        raise ValidationError(
            {"person": _("Not expected at this exercise or not yours to record: %(ids)s")
             % {"ids": ", ".join(str(i) for i in sorted(missing))}}
        )  # fmt: skip
    now = timezone.now()
    for row in rows:
        row.status, row.note = wanted[row.person_id]
        row.recorded_by, row.recorded_at = by, now
    Attendance.objects.bulk_update(rows, ["status", "note", "recorded_by", "recorded_at", "updated"])
    return len(rows)


@transaction.atomic
def competition_advance(*, competition: Competition, stage: int, top: int) -> list[int]:
    """Send the `top` best-ranked teams of `stage` on to the next stage (ties at the cut go too)."""
    stages = {e.stage: e for e in competition.stages.all()}
    if stage not in stages or stage + 1 not in stages:
        raise ValidationError(_("Both this stage and the next must exist."))
    standings = [a for a in Assessment.objects.stage_standings(competition) if a.stage == stage]
    advancing = [a.team_id for a in standings if a.stage_rank <= top]
    stages[stage + 1].teams.add(*advancing)
    exercise_expect_attendance(exercise=stages[stage + 1])
    return advancing


# --- the 9.18 alarm test drill: reminders ------------------------------------------------------------


def drill_reminder_key(drill: AlarmTestDrill, lead_days: int) -> str:
    return f"drill:{drill.pk}:lead:{lead_days}"


def drill_reminder_send(*, drill: AlarmTestDrill, lead_days: int) -> int:
    """Remind everyone concerned that `drill` is `lead_days` days away: one notification per
    recipient and lead time, in the app, by email and by SMS. Running it again sends nothing new."""
    when = timezone.localtime(drill.scheduled_at, timezone.get_default_timezone())
    title = _("Air-raid alarm test in %(days)s days: %(title)s") % {"days": lead_days, "title": drill.title}
    body = _("The alarm sounds on %(date)s at %(time)s (Beijing time) in %(region)s.") % {
        "date": when.strftime("%Y-%m-%d"),
        "time": when.strftime("%H:%M"),
        "region": drill.region.name,
    }
    leader_phones = drill_leader_phones(drill=drill)
    with transaction.atomic():
        return notify(
            recipients=drill_recipients(drill=drill, leader_phones=leader_phones),
            phones=leader_phones,
            key=drill_reminder_key(drill, lead_days),
            kind=NotificationKindChoices.ALARM_TEST_DRILL,
            title=title,
            body=body,
            url=f"/portal/training/drills/{drill.pk}/",
            email=True,
            sms=True,
        )


def drill_reminders_send_due(
    *, today: datetime.date | None = None, drills: Iterable[AlarmTestDrill] | None = None
) -> list[tuple[int, int, int]]:
    """Send the reminders due on `today` (Beijing date; default: today in Beijing) for every drill
    (or for `drills`). Returns (drill id, lead days, notifications new this time) per reminder due."""
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    horizon = today + datetime.timedelta(days=366)
    sent = []
    if drills is None:
        drills = AlarmTestDrill.objects.from_date(today).select_related("region")
    for drill in drills:
        if drill.local_date > horizon:
            continue
        lead = drill_reminder_due_lead(drill=drill, today=today)
        if lead is not None:
            sent.append((drill.pk, lead, drill_reminder_send(drill=drill, lead_days=lead)))
    return sent
