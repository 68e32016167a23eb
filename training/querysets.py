"""Reads of the training app: plan progress, participation and grade rates grouped in the
database, competition standings and the per-unit report of an alarm test drill."""

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce, ExtractYear, Rank

from mobilization.querysets import ScopedQuerySet
from mobilization.rates import percentage, rate

from .choices import AttendanceStatusChoices, ExerciseStatusChoices, GradeChoices, RateDimensionChoices

__all__ = [
    "AlarmTestDrillQuerySet",
    "AssessmentQuerySet",
    "AttendanceQuerySet",
    "CompetitionQuerySet",
    "ExerciseQuerySet",
    "TrainingPlanQuerySet",
]

# Each dimension: the grouping key and its label, as lookups from an attendance or an
# assessment (both have `exercise` and `team`).
DIMENSIONS = {
    RateDimensionChoices.EXERCISE: ("exercise_id", "exercise__title"),
    RateDimensionChoices.TEAM: ("team_id", "team__name"),
    RateDimensionChoices.TEAM_TYPE: ("team__team_type_id", "team__team_type__name"),
    RateDimensionChoices.UNIT: ("team__unit_id", "team__unit__name"),
    RateDimensionChoices.REGION: ("team__region_id", "team__region__name"),
    RateDimensionChoices.YEAR: (ExtractYear("exercise__start_date"), None),
}

# Attendance and assessments count once an exercise has begun; planned and cancelled ones
# were not held.
COUNTED_EXERCISES = (ExerciseStatusChoices.UNDER_WAY, ExerciseStatusChoices.COMPLETED)
PARTICIPATION = {
    "expected": Count("pk", filter=~Q(status=AttendanceStatusChoices.EXCUSED)),
    "present": Count("pk", filter=Q(status=AttendanceStatusChoices.PRESENT)),
}
GRADES = {
    "assessed": Count("pk"),
    "good_or_better": Count("pk", filter=Q(grade__in=(GradeChoices.EXCELLENT, GradeChoices.GOOD))),
    "excellent": Count("pk", filter=Q(grade=GradeChoices.EXCELLENT)),
}


def _grouped(queryset, dimension, year):
    key, label = DIMENSIONS[RateDimensionChoices(dimension)]
    if year:
        queryset = queryset.filter(exercise__start_date__year=year)
    key_expr = key if not isinstance(key, str) else F(key)
    label_expr = F(label) if label else key_expr
    return queryset.values(key=key_expr, label=label_expr).order_by("key")


class TrainingPlanQuerySet(ScopedQuerySet):
    def with_progress(self):
        """Items planned, and items held (at least one exercise of theirs completed), per plan."""
        return self.annotate(
            items_planned=Count("items", distinct=True),
            items_held=Count(
                "items", filter=Q(items__exercises__status=ExerciseStatusChoices.COMPLETED), distinct=True
            ),
        )


class ExerciseQuerySet(ScopedQuerySet):
    # Set by `with_page_attendance()`: the counts are read for the fetched rows only.
    _attendance_later = False

    def held_between(self, start, end):
        """Exercises held (under way or completed) that began within [start, end]."""
        return self.filter(status__in=COUNTED_EXERCISES, start_date__gte=start, start_date__lte=end)

    def involving(self, prefix):
        """Exercises organised in a region subtree or joined by its teams (each once)."""
        involved = self.model.objects.filter(
            Q(office__region__code__startswith=prefix) | Q(teams__region__code__startswith=prefix)
        )
        return self.filter(pk__in=involved.values("pk"))

    def with_attendance(self):
        """Expected attendees (not excused) and those present, per exercise.

        Counted by a subquery per exercise, not a join and GROUP BY: PostgreSQL then counts only
        the exercises of the page (after ORDER BY ... LIMIT), through the (exercise, status)
        index, instead of grouping every attendance row first (4,000,000 at nation scale)."""
        return self.annotate(
            expected_count=self._attendance_count(~Q(status=AttendanceStatusChoices.EXCUSED)),
            present_count=self._attendance_count(Q(status=AttendanceStatusChoices.PRESENT)),
        )

    def with_page_attendance(self):
        """The same counts as `with_attendance()`, read only for the rows fetched (a page), in one
        more query whatever their number: the SQL that filters, counts and pages the list carries
        no subquery, so a deep page costs what the first costs (PostgreSQL evaluates the SELECT
        list of every row an OFFSET skips). Not for filtering or sorting on the counts."""
        qs = self._chain()
        qs._attendance_later = True
        return qs

    def _clone(self):
        clone = super()._clone()
        clone._attendance_later = self._attendance_later
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if self._attendance_later and fresh and self._result_cache and isinstance(self._result_cache[0], self.model):
            attach_attendance(self._result_cache)

    def _attendance_count(self, condition):
        attendances = self.model._meta.get_field("attendances").related_model.objects
        counted = (
            attendances.filter(condition, exercise=OuterRef("pk"))
            .order_by()
            .values("exercise")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted), 0)


def attach_attendance(exercises):
    """Give each exercise its `expected_count` and `present_count` (as `with_attendance()`
    annotates them), read for all of them in one grouped query through the (exercise, status) index."""
    attendances = type(exercises[0])._meta.get_field("attendances").related_model.objects
    rows = (
        attendances.filter(exercise_id__in=[e.pk for e in exercises])
        .order_by()
        .values("exercise_id")
        .annotate(
            expected=Count("pk", filter=~Q(status=AttendanceStatusChoices.EXCUSED)),
            present=Count("pk", filter=Q(status=AttendanceStatusChoices.PRESENT)),
        )
    )
    counts = {r["exercise_id"]: (r["expected"], r["present"]) for r in rows}
    for exercise in exercises:
        exercise.expected_count, exercise.present_count = counts.get(exercise.pk, (0, 0))


class AttendanceQuerySet(ScopedQuerySet):
    """Participation is present ÷ expected, where the excused are not expected and anyone not
    recorded present (absent or unrecorded) counts as missing. Written once, here: the admin's
    rates page, the API, the drill report and the statistics section all read it."""

    def counted(self):
        return self.filter(exercise__status__in=COUNTED_EXERCISES)

    def held_between(self, start, end):
        """Attendance at exercises that began within [start, end]."""
        return self.filter(exercise__start_date__gte=start, exercise__start_date__lte=end)

    def of_teams_in(self, prefix):
        """Attendance of the teams of a region subtree (by region-code prefix)."""
        return self.filter(team__region__code__startswith=prefix)

    def with_participation(self):
        """On a `values()` grouping: expected, present and participation_rate per group."""
        return self.annotate(**PARTICIPATION).annotate(participation_rate=percentage("present", "expected"))

    def participation(self):
        """The same figures over the whole queryset: {"expected", "present", "participation_rate"}."""
        totals = self.aggregate(**PARTICIPATION)
        return {**totals, "participation_rate": rate(totals["present"], totals["expected"])}

    def participation_by(self, dimension, year=None):
        """Participation per group of `dimension` (RateDimensionChoices), in `year` if given."""
        return _grouped(self.counted(), dimension, year).with_participation()

    def by_unit(self):
        """Who took part, per member unit of the teams: the drill report's figures."""
        return (
            self.values(unit_id=F("team__unit_id"), unit_name=F("team__unit__name"))
            .with_participation()
            .annotate(
                excused=Count("pk", filter=Q(status=AttendanceStatusChoices.EXCUSED)),
                absent=Count("pk", filter=Q(status=AttendanceStatusChoices.ABSENT)),
            )
            .order_by("unit_name", "unit_id")
        )


class AssessmentQuerySet(ScopedQuerySet):
    """Grade rates: the share of assessed teams graded good or better, and the share excellent,
    of exercises held (under way or completed). Written once, here, like participation."""

    def counted(self):
        return self.filter(exercise__status__in=COUNTED_EXERCISES)

    def held_between(self, start, end):
        return self.filter(exercise__start_date__gte=start, exercise__start_date__lte=end)

    def of_teams_in(self, prefix):
        return self.filter(team__region__code__startswith=prefix)

    def with_grade_rates(self):
        """On a `values()` grouping: assessed, good_or_better, excellent and their two rates."""
        return (
            self.annotate(**GRADES)
            .annotate(good_rate=percentage("good_or_better", "assessed"))
            .annotate(excellent_rate=percentage("excellent", "assessed"))
        )

    def grade_rates(self):
        """The same figures over the whole queryset."""
        totals = self.aggregate(**GRADES)
        return {
            **totals,
            "good_rate": rate(totals["good_or_better"], totals["assessed"]),
            "excellent_rate": rate(totals["excellent"], totals["assessed"]),
        }

    def grade_rates_by(self, dimension, year=None):
        """Per group: teams assessed, the share graded good or better, and the share excellent."""
        return _grouped(self.counted(), dimension, year).with_grade_rates()

    def stage_standings(self, competition):
        """Each team's score and rank in each stage of `competition` (ties share a rank)."""
        return (
            self.filter(exercise__competition=competition)
            .annotate(
                stage=F("exercise__stage"),
                stage_rank=Window(Rank(), partition_by=[F("exercise_id")], order_by=F("score").desc()),
            )
            .select_related("team", "exercise")
            .order_by("exercise__stage", "-score", "team_id")
        )

    def overall_standings(self, competition):
        """Each team's overall standing: the further it got, the higher; then the more points."""
        return (
            self.filter(exercise__competition=competition)
            .values("team_id", team_name=F("team__name"))
            .annotate(stages=Count("pk"), points=Sum("score"))
            .annotate(rank=Window(Rank(), order_by=[F("stages").desc(), F("points").desc()]))
            .order_by("rank", "team_id")
        )


class CompetitionQuerySet(ScopedQuerySet):
    def with_stage_count(self):
        return self.annotate(stage_count=Count("stages", distinct=True))


class AlarmTestDrillQuerySet(ScopedQuerySet):
    def from_date(self, day):
        """Drills on or after `day` (a Beijing date)."""
        from django.utils import timezone

        start = timezone.make_aware(timezone.datetime(day.year, day.month, day.day), timezone.get_default_timezone())
        return self.filter(scheduled_at__gte=start)
