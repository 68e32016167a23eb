"""Every training endpoint through the shared bases: CRUD per role, scoping, flat list queries;
then the workflow actions (approve, bulk attendance, rates, standings, drill report)."""

from tests.base import APIScopeTestCase
from tests.factories import (
    add_member,
    make_assessment,
    make_attendance,
    make_competition,
    make_drill,
    make_exercise,
    make_plan,
    make_team,
    next_year,
)
from training.models import (
    AlarmTestDrill,
    Assessment,
    Attendance,
    Competition,
    Exercise,
    GradeThresholds,
    PlanItem,
    TrainingPlan,
)

READERS = {"office": "write", "city_office": "write", "liaison": "read", "unit": "read"}


class GradeThresholdsAPITest(APIScopeTestCase):
    model = GradeThresholds
    basename = "gradethresholds"
    scoped = False
    # Thresholds apply to every office: only the city office (or higher) changes them.
    access = {**READERS, "office": "read"}
    update_payload = {"excellent_min": "92.00"}

    def make(self, side):
        return GradeThresholds.objects.create(year=next_year())

    def create_payload(self, side):
        return {"year": next_year(), "excellent_min": "85", "good_min": "75", "pass_min": "60"}


class TrainingPlanAPITest(APIScopeTestCase):
    model = TrainingPlan
    basename = "trainingplan"
    access = {"office": "write", "city_office": "write", "liaison": "read"}
    update_payload = {"title": "年度训练计划（修订）"}

    def make(self, side):
        return make_plan(side)

    def create_payload(self, side):
        return {"office": side.office.pk, "year": next_year(), "title": "年度训练计划"}


class PlanItemAPITest(APIScopeTestCase):
    model = PlanItem
    basename = "planitem"
    access = {"office": "write", "city_office": "write", "liaison": "read"}
    update_payload = {"hours": "12.0"}

    def make(self, side):
        return PlanItem.objects.create(plan=make_plan(side), subject="医疗救护", planned_month=4, hours=8)

    def create_payload(self, side):
        return {"plan": make_plan(side).pk, "subject": "网络攻防", "planned_month": 6, "hours": "16", "teams": []}


class ExerciseAPITest(APIScopeTestCase):
    model = Exercise
    basename = "exercise"
    access = READERS
    update_payload = {"location": "张店区应急训练基地"}

    def make(self, side):
        return make_exercise(side)

    def create_payload(self, side):
        return {
            "title": "消防救援单项训练",
            "level": "county",
            "kind": "single_subject",
            "subject": "消防救援",
            "office": side.office.pk,
            "start_date": "2026-06-01",
            "end_date": "2026-06-02",
            "teams": [make_team(side).pk],
        }


class AttendanceAPITest(APIScopeTestCase):
    model = Attendance
    basename = "attendance"
    access = READERS
    update_payload = {"status": "present"}

    def make(self, side):
        return make_attendance(side)

    def create_payload(self, side):
        exercise = make_exercise(side)
        team = exercise.teams.get()
        return {"exercise": exercise.pk, "team": team.pk, "person": add_member(team).pk, "status": "present"}


class AssessmentAPITest(APIScopeTestCase):
    model = Assessment
    basename = "assessment"
    access = READERS
    update_payload = {"score": "75.00"}

    def make(self, side):
        return make_assessment(side)

    def create_payload(self, side):
        exercise = make_exercise(side)
        return {"exercise": exercise.pk, "team": exercise.teams.get().pk, "score": "91.5"}


class CompetitionAPITest(APIScopeTestCase):
    model = Competition
    basename = "competition"
    access = READERS
    update_payload = {"description": "三个阶段：初赛、复赛、决赛"}

    def make(self, side):
        return make_competition(side)

    def create_payload(self, side):
        return {"name": "应急救援技能竞赛", "year": 2026, "office": side.office.pk}


class AlarmTestDrillAPITest(APIScopeTestCase):
    model = AlarmTestDrill
    basename = "alarmtestdrill"
    access = READERS
    update_payload = {"reminder_days": "14,3"}

    def make(self, side):
        return make_drill(side)

    def create_payload(self, side):
        return {
            "region": side.county.pk,
            "title": "防空警报试鸣",
            "scheduled_at": f"{next_year()}-09-18T10:00:00+08:00",
            "teams": [make_team(side).pk],
        }
