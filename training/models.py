"""Training and assessment: annual plans, exercises with their attendance and team assessments,
competitions run as a series of exercises, and the yearly 9.18 air-raid alarm test drill."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_comma_separated_integer_list
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobilization.models import BaseModel, ScopedModel
from mobilization.querysets import Scope

from .choices import (
    AttendanceStatusChoices,
    ExerciseKindChoices,
    ExerciseLevelChoices,
    ExerciseStatusChoices,
    GradeChoices,
    PlanStatusChoices,
)
from .querysets import (
    AlarmTestDrillQuerySet,
    AssessmentQuerySet,
    AttendanceQuerySet,
    CompetitionQuerySet,
    ExerciseQuerySet,
    TrainingPlanQuerySet,
)

__all__ = [
    "AlarmTestDrill",
    "Assessment",
    "Attendance",
    "Competition",
    "Exercise",
    "ExerciseRegion",
    "GradeThresholds",
    "PlanItem",
    "TrainingPlan",
    "default_drill_time",
]

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
PERCENT_VALIDATORS = SCORE_VALIDATORS


class GradeThresholds(BaseModel):
    """The lowest score of each grade and the targets rates are held against, for one year.

    A year without its own row uses the nearest earlier year's, then the built-in defaults.
    Changing a row regrades the assessments it applies to (see services.grade_thresholds_save)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    excellent_min = models.DecimalField(
        _("lowest excellent score"), max_digits=5, decimal_places=2, default=Decimal("90"), validators=SCORE_VALIDATORS
    )
    good_min = models.DecimalField(
        _("lowest good score"), max_digits=5, decimal_places=2, default=Decimal("80"), validators=SCORE_VALIDATORS
    )
    pass_min = models.DecimalField(
        _("lowest pass score"), max_digits=5, decimal_places=2, default=Decimal("60"), validators=SCORE_VALIDATORS
    )
    participation_target = models.DecimalField(
        _("participation rate target (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("95"),
        validators=PERCENT_VALIDATORS,
        help_text=_("The participation rate should be above this."),
    )
    excellent_target = models.DecimalField(
        _("excellent rate target (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80"),
        validators=PERCENT_VALIDATORS,
        help_text=_("The excellent rate should be above this."),
    )

    scope = Scope(reference=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("grade thresholds and targets")
        verbose_name_plural = _("grade thresholds and targets")

    def __str__(self):
        return str(self.year)

    def clean(self):
        if None not in (self.excellent_min, self.good_min, self.pass_min) and not (
            self.excellent_min > self.good_min > self.pass_min
        ):
            raise ValidationError(_("Thresholds must rise from pass to good to excellent."))

    @classmethod
    def for_year(cls, year):
        """The thresholds that apply to `year` (an unsaved default row when none is recorded)."""
        return cls.objects.filter(year__lte=year).order_by("-year").first() or cls(year=year)

    def grade(self, score):
        """The grade of `score`: each threshold is the lowest score of its grade."""
        if score is None or score == "":
            return ""
        score = Decimal(str(score))
        if score >= self.excellent_min:
            return GradeChoices.EXCELLENT
        if score >= self.good_min:
            return GradeChoices.GOOD
        if score >= self.pass_min:
            return GradeChoices.PASS
        return GradeChoices.FAIL


class TrainingPlan(BaseModel):
    """An office's annual training plan: drafted at the start of the year, then approved."""

    office = models.ForeignKey(
        "mobilization.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="training_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatusChoices.choices, default=PlanStatusChoices.DRAFT, editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    objects = TrainingPlanQuerySet.as_manager()
    scope = Scope(region="office__region")

    class Meta:
        ordering = ["-year", "office_id"]
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="one_training_plan_per_office_year")]
        permissions = [("approve_trainingplan", _("Can approve a training plan"))]

    def __str__(self):
        return self.title


class PlanItem(BaseModel):
    """One line of a plan: a subject for some team types or teams, in a month, for so many hours."""

    plan = models.ForeignKey(TrainingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    subject = models.CharField(_("subject"), max_length=200)
    team_types = models.ManyToManyField(
        "teams.TeamType", verbose_name=_("team types"), blank=True, related_name="training_plan_items"
    )
    teams = models.ManyToManyField(
        "teams.Team", verbose_name=_("teams"), blank=True, related_name="training_plan_items"
    )
    planned_month = models.PositiveSmallIntegerField(
        _("planned month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    notes = models.TextField(_("notes"), blank=True)

    scope = Scope(region="plan__office__region")

    class Meta:
        ordering = ["plan_id", "planned_month", "id"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self):
        return f"{self.planned_month:02d} · {self.subject}"


def default_drill_time(year=None):
    """18 September, 10:00 Beijing time, of `year` (this year by default): the national alarm test."""
    year = year or timezone.localdate().year
    return timezone.make_aware(datetime.datetime(year, 9, 18, 10, 0), timezone.get_default_timezone())


def default_reminder_days():
    return ",".join(str(d) for d in getattr(settings, "DRILL_REMINDER_DAYS", (30, 7, 1)))


class AlarmTestDrill(BaseModel):
    """The air-raid alarm test of one region and year (9.18), with the teams and units taking part.
    Evacuation drills of communities and schools are exercises linked to it."""

    region = models.ForeignKey(
        "mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="alarm_test_drills"
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    scheduled_at = models.DateTimeField(_("alarm time"), default=default_drill_time)
    reminder_days = models.CharField(
        _("reminder lead times (days)"),
        max_length=50,
        default=default_reminder_days,
        validators=[validate_comma_separated_integer_list],
        help_text=_("Days before the drill on which reminders go out, e.g. 30,7,1."),
    )
    teams = models.ManyToManyField("teams.Team", verbose_name=_("teams"), blank=True, related_name="alarm_test_drills")
    units = models.ManyToManyField(
        "mobilization.MemberUnit", verbose_name=_("member units"), blank=True, related_name="alarm_test_drills"
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = AlarmTestDrillQuerySet.as_manager()
    # Seen by whoever takes part (its teams, its units, the units of its evacuation drills) and,
    # read-only, by the offices below its region: a city's alarm test concerns every district.
    scope = Scope(region="region", via=("teams", "units", "evacuation_drills"), inherited=True)

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("alarm test drill")
        verbose_name_plural = _("alarm test drills")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_alarm_test_per_region_year")]

    def __str__(self):
        return self.title

    def clean(self):
        # The year is the drill's own: set before validation so "one per region and year" is checked then.
        if self.scheduled_at:
            self.year = self.local_date.year

    def save(self, *args, **kwargs):
        if self.scheduled_at:
            self.year = self.local_date.year
        super().save(*args, **kwargs)

    @property
    def local_date(self):
        """The drill's date in Beijing time (whatever the server's or the database's zone)."""
        return timezone.localtime(self.scheduled_at, timezone.get_default_timezone()).date()

    @property
    def lead_days(self):
        return sorted({int(d) for d in self.reminder_days.split(",") if d.strip()}, reverse=True)


class Competition(BaseModel):
    """A team competition: a series of exercises (stages) through which teams progress."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    office = models.ForeignKey(
        "mobilization.Office",
        verbose_name=_("organising office"),
        on_delete=models.PROTECT,
        related_name="competitions",
    )
    description = models.TextField(_("description"), blank=True)

    objects = CompetitionQuerySet.as_manager()
    scope = Scope(region="office__region", via="stages")

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")

    def __str__(self):
        return self.name


class Exercise(BaseModel):
    """A training exercise or drill: who organised it, when and where, which teams and member units took part."""

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=ExerciseLevelChoices.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ExerciseKindChoices.choices)
    subject = models.CharField(_("subject"), max_length=200, help_text=_("e.g. network attack and defence"))
    office = models.ForeignKey(
        "mobilization.Office", verbose_name=_("organising office"), on_delete=models.PROTECT, related_name="exercises"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exercises",
    )
    teams = models.ManyToManyField(
        "teams.Team", verbose_name=_("participating teams"), blank=True, related_name="exercises"
    )
    units = models.ManyToManyField(
        "mobilization.MemberUnit", verbose_name=_("participating member units"), blank=True, related_name="exercises"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ExerciseStatusChoices.choices, default=ExerciseStatusChoices.PLANNED
    )
    competition = models.ForeignKey(
        Competition,
        verbose_name=_("competition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stages",
    )
    stage = models.PositiveSmallIntegerField(_("stage"), null=True, blank=True, validators=[MinValueValidator(1)])
    drill = models.ForeignKey(
        AlarmTestDrill,
        verbose_name=_("alarm test drill"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evacuation_drills",
    )

    objects = ExerciseQuerySet.as_manager()
    # Seen by the teams and the member units taking part (a school in an evacuation drill). The
    # regions an office sees an exercise through (the organising office's, and those of the teams
    # and units taking part) are kept in ExerciseRegion: its scope is one index range on the
    # office's prefix instead of three subqueries over every exercise.
    scope = Scope(region="office__region", via=("teams", "units"), regions="scope_regions")

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "stage"],
                condition=models.Q(competition__isnull=False),
                name="one_exercise_per_competition_stage",
            )
        ]
        indexes = [models.Index(fields=["start_date"], name="exercise_start")]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("An exercise cannot end before it starts.")
        if self.competition_id and not self.stage:
            errors["stage"] = _("A competition stage needs its number.")
        if self.stage and not self.competition_id:
            errors["competition"] = _("A stage belongs to a competition.")
        evacuation = (ExerciseKindChoices.EVACUATION, ExerciseKindChoices.ALARM_TEST)
        if self.drill_id and self.kind not in evacuation:
            errors["drill"] = _("Only evacuation and alarm-test drills are linked to an alarm test.")
        if errors:
            raise ValidationError(errors)


class ExerciseRegion(models.Model):
    """A region through which offices see an exercise: the organising office's, and the region of
    every team and member unit taking part. Derived, not a record: rebuilt from those rows by
    `training.services.exercise_regions_refresh` (called by the signals of exercises, their teams
    and units, offices, teams and member units, and by every bulk write), so an office's exercises
    are one index range scan on its region-code prefix (`Scope.regions`)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="scope_regions")
    region = models.ForeignKey("mobilization.Region", on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "region"], name="exercise_region_unique")]
        # The prefix range (LIKE '3703%') and the exercise ids from the index alone.
        indexes = [
            models.Index(
                fields=["region", "exercise"],
                name="exercise_region_prefix",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            )
        ]
        default_permissions = ()  # nobody edits it: the services rebuild it
        verbose_name = _("exercise's region")
        verbose_name_plural = _("exercises' regions")

    def __str__(self):
        return f"{self.exercise_id} @ {self.region_id}"


class Attendance(ScopedModel):
    """Whether one person expected at an exercise (an active member of a participating team on its
    date) was there. Rows are created by services.exercise_expect_attendance, then recorded."""

    exercise = models.ForeignKey(
        Exercise, verbose_name=_("exercise"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    team = models.ForeignKey("teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AttendanceStatusChoices.choices,
        default=AttendanceStatusChoices.EXPECTED,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()
    scope = Scope(region="team__region", unit="team__unit")

    class Meta:
        ordering = ["exercise_id", "team_id", "person__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["exercise", "person"], name="one_attendance_per_person")]
        indexes = [models.Index(fields=["exercise", "status"], name="attendance_exercise_status")]
        permissions = [("record_attendance", _("Can record attendance for the members of one's teams"))]

    def __str__(self):
        return f"{self.person_id and self.person} · {self.get_status_display()}"


class Assessment(BaseModel):
    """How one team did at one exercise: a score, its grade by the year's thresholds, the assessor's remarks."""

    exercise = models.ForeignKey(
        Exercise, verbose_name=_("exercise"), on_delete=models.CASCADE, related_name="assessments"
    )
    team = models.ForeignKey("teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="assessments")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    grade = models.CharField(_("grade"), max_length=16, choices=GradeChoices.choices, editable=False)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    remarks = models.TextField(_("remarks"), blank=True)

    objects = AssessmentQuerySet.as_manager()
    scope = Scope(region="team__region", unit="team__unit")

    class Meta:
        ordering = ["exercise_id", "-score"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [models.UniqueConstraint(fields=["exercise", "team"], name="one_assessment_per_team_exercise")]

    def __str__(self):
        return f"{self.team_id and self.team} · {self.score}"

    def clean(self):
        if self.exercise_id and self.team_id and not self.exercise.teams.filter(pk=self.team_id).exists():
            raise ValidationError({"team": _("This team does not take part in the exercise.")})

    def save(self, *args, **kwargs):
        # The grade always follows the score under the thresholds of the exercise's year.
        self.grade = GradeThresholds.for_year(self.exercise.start_date.year).grade(self.score)
        super().save(*args, **kwargs)
