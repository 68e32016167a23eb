"""Every rule of the training app that changes state: approving plans, materialising and recording
attendance, regrading, advancing competition teams, and the exactly-once 9.18 drill reminders.

Admin actions, API views, portal pages, Celery tasks and management commands all call these."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import MembershipRoleChoices
from members.models import Membership
from mobilization.choices import AuditActionChoices, RoleChoices
from mobilization.querysets import LEVEL_DIGITS, region_prefix, user_profile
from mobilization.services import audit_record, notify

from .choices import AttendanceStatusChoices, PlanStatusChoices
from .models import AlarmTestDrill, Assessment, Attendance, GradeThresholds, TrainingPlan

__all__ = [
    "attendance_record",
    "attendance_save",
    "competition_advance",
    "drill_recipients",
    "drill_reminder_due_lead",
    "drill_reminder_send",
    "drill_reminders_send_due",
    "exercise_expect_attendance",
    "grade_thresholds_delete",
    "grade_thresholds_save",
    "thresholds_manager",
    "training_plan_approve",
]

RECORDABLE = (AttendanceStatusChoices.PRESENT, AttendanceStatusChoices.ABSENT, AttendanceStatusChoices.EXCUSED)


@transaction.atomic
def training_plan_approve(*, plan, by):
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


def thresholds_manager(user):
    """Whether `user` may set grade thresholds and targets: they apply to every office and
    saving them regrades a whole year, so only a city (or higher) office or a superuser may."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    profile = user_profile(user)
    return bool(
        profile is not None
        and profile.role == RoleChoices.OFFICE_STAFF
        and profile.region_id
        and len(region_prefix(profile.region_id)) <= LEVEL_DIGITS["city"]
    )


def _ensure_thresholds_manager(by):
    if not thresholds_manager(by):
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
def grade_thresholds_save(*, thresholds, by):
    """Save a year's thresholds and regrade every assessment they now apply to (that year and
    the following years without thresholds of their own)."""
    _ensure_thresholds_manager(by)
    thresholds.full_clean()
    thresholds.save()
    _regrade_from(thresholds.year)
    return thresholds


@transaction.atomic
def grade_thresholds_delete(*, thresholds, by):
    """Delete a year's thresholds: its assessments fall back to the nearest earlier year's."""
    _ensure_thresholds_manager(by)
    year = thresholds.year
    thresholds.delete()
    _regrade_from(year)


def expected_memberships(exercise):
    """Memberships active on the exercise's first day in its participating teams."""
    day = exercise.start_date
    return Membership.objects.filter(team__in=exercise.teams.all(), joined__lte=day).filter(
        Q(left__isnull=True) | Q(left__gt=day)
    )


@transaction.atomic
def exercise_expect_attendance(*, exercise):
    """Make one attendance row for each person expected at `exercise`, and drop the unrecorded
    rows of people no longer expected (a team withdrawn, a date moved). Safe to run again."""
    expected = dict(expected_memberships(exercise).values_list("person_id", "team_id"))
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
def attendance_save(*, attendance, by):
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
def attendance_record(*, exercise, entries, by):
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
def competition_advance(*, competition, stage, top):
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


def drill_participating_teams(drill):
    from teams.models import Team

    return Team.objects.filter(Q(alarm_test_drills=drill) | Q(exercises__drill=drill)).distinct()


def drill_participating_units(drill):
    from mobilization.models import MemberUnit

    teams = drill_participating_teams(drill)
    return MemberUnit.objects.filter(
        Q(alarm_test_drills=drill) | Q(exercises__drill=drill) | Q(pk__in=teams.values("unit_id"))
    ).distinct()


def drill_leader_phones(drill):
    """The mobile phones of the current leaders of the teams taking part in `drill`."""
    teams = drill_participating_teams(drill)
    leaders = Membership.objects.filter(
        team__in=teams, role=MembershipRoleChoices.LEADER, joined__lte=drill.local_date
    ).filter(Q(left__isnull=True) | Q(left__gt=drill.local_date))
    return set(leaders.exclude(person__phone="").values_list("person__phone", flat=True))


def drill_recipients(drill, leader_phones=None):
    """The users reminded of `drill`, as one queryset: office staff of the drill's region and the
    regions below it; liaisons of the participating member units; and team leaders who have an
    account (the user whose profile carries the leader's mobile phone). Leaders without one are
    reached by SMS alone (`drill_reminder_send`).

    The participating units and the leaders' phones are few: they are read first, so that the
    query over every user (100,000 in the benchmark) is a plain indexed filter, not a subquery per row."""
    User = get_user_model()
    units = list(drill_participating_units(drill).values_list("pk", flat=True))
    phones = drill_leader_phones(drill) if leader_phones is None else leader_phones
    who = Q(profile__role=RoleChoices.OFFICE_STAFF, profile__region__code__startswith=region_prefix(drill.region_id))
    if units:
        who |= Q(profile__role=RoleChoices.UNIT_LIAISON, profile__member_unit__in=units)
    if phones:
        who |= Q(profile__phone__in=phones)
    return User.objects.filter(is_active=True).filter(who)


def drill_reminder_key(drill, lead_days):
    return f"drill:{drill.pk}:lead:{lead_days}"


def drill_reminder_send(*, drill, lead_days):
    """Remind everyone concerned that `drill` is `lead_days` days away: one notification per
    recipient and lead time, in the app, by email and by SMS. Running it again sends nothing new."""
    when = timezone.localtime(drill.scheduled_at, timezone.get_default_timezone())
    title = _("Air-raid alarm test in %(days)s days: %(title)s") % {"days": lead_days, "title": drill.title}
    body = _("The alarm sounds on %(date)s at %(time)s (Beijing time) in %(region)s.") % {
        "date": when.strftime("%Y-%m-%d"),
        "time": when.strftime("%H:%M"),
        "region": drill.region.name,
    }
    leader_phones = drill_leader_phones(drill)
    with transaction.atomic():
        return notify(
            recipients=drill_recipients(drill, leader_phones),
            phones=leader_phones,
            key=drill_reminder_key(drill, lead_days),
            kind="alarm_test_drill",
            title=title,
            body=body,
            url=f"/portal/training/drills/{drill.pk}/",
            email=True,
            sms=True,
        )


def drill_reminder_due_lead(drill, today):
    """The lead time whose reminder is due on `today` (a Beijing date), or None.

    It is the shortest lead time not shorter than the days left: on 30 days before, the
    30-day reminder; from 7 days before, the 7-day one. A day the job did not run is
    caught up the next day, and a reminder overtaken by a later one is not sent late."""
    days_left = (drill.local_date - today).days
    if days_left < 0:
        return None
    due = [lead for lead in drill.lead_days if lead >= days_left]
    return min(due) if due else None


def drill_reminders_send_due(*, today=None, drills=None):
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
        lead = drill_reminder_due_lead(drill, today)
        if lead is not None:
            sent.append((drill.pk, lead, drill_reminder_send(drill=drill, lead_days=lead)))
    return sent
