"""Training's share of the benchmark volume (`seed_demo --scale`, see mobilization/scale.py):
twelve monthly county exercises in the year before today; each team is at four of them, every
member expected, and each team assessed at each."""

import datetime
from decimal import Decimal

from mobilization.scale import bulk

from .choices import AttendanceStatusChoices, ExerciseKindChoices, ExerciseLevelChoices, ExerciseStatusChoices
from .models import Assessment, Attendance, Exercise, GradeThresholds
from .services import exercise_regions_refresh

__all__ = ["seed_city"]

KINDS = [
    ExerciseKindChoices.SINGLE_SUBJECT,
    ExerciseKindChoices.COMPREHENSIVE,
    ExerciseKindChoices.JOINT,
    ExerciseKindChoices.KEY_TARGET,
    ExerciseKindChoices.EVACUATION,
]
# Drawn per attendance: mostly present, some absent, a few excused.
STATUSES = (
    [AttendanceStatusChoices.PRESENT] * 17 + [AttendanceStatusChoices.ABSENT] * 2 + [AttendanceStatusChoices.EXCUSED]
)


def seed_city(ctx, city):
    teams_by_county = getattr(city, "teams_by_county", None)
    if not teams_by_county:
        return
    rng = city.rng
    first = datetime.date(ctx.today.year - 1, ctx.today.month, 1)
    exercises, plan = [], []
    for county, office, county_teams in zip(city.counties, city.offices, teams_by_county, strict=True):
        for m in range(12):
            day = datetime.date(first.year + (first.month - 1 + m) // 12, (first.month - 1 + m) % 12 + 1, 10)
            exercises.append(
                Exercise(
                    title=f"{county.name}{day:%Y年%m月}训练演练",
                    level=ExerciseLevelChoices.COUNTY,
                    kind=KINDS[m % len(KINDS)],
                    subject="综合救援",
                    office=office,
                    start_date=day,
                    end_date=day + datetime.timedelta(days=1),
                    location=county.name,
                    status=ExerciseStatusChoices.COMPLETED,
                )
            )
            plan.append([t for i, t in enumerate(county_teams) if i % 3 == m % 3])
    exercises = bulk(Exercise, exercises)
    through = Exercise.teams.through
    through_rows = [(e.pk, t.pk) for e, ts in zip(exercises, plan, strict=True) for t in ts]
    bulk(through, [through(exercise_id=e, team_id=t) for e, t in through_rows])
    exercise_regions_refresh([e.pk for e in exercises])  # bulk writes send no signal
    thresholds = GradeThresholds.for_year(first.year)
    scores = [Decimal(rng.randrange(6000, 9900)) / 100 for _ in range(len(through_rows))]
    bulk(
        Assessment,
        [
            Assessment(exercise_id=e, team_id=t, score=score, grade=thresholds.grade(score))
            for (e, t), score in zip(through_rows, scores, strict=True)
        ],
    )
    people_by_team = getattr(city, "people_by_team", {})
    bulk(
        Attendance,
        [
            Attendance(exercise=e, person_id=p, team=t, status=rng.choice(STATUSES))
            for e, ts in zip(exercises, plan, strict=True)
            for t in ts
            for p in people_by_team.get(t.pk, [])
        ],
    )
