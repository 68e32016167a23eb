from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AttendanceStatusChoices",
    "ExerciseKindChoices",
    "ExerciseLevelChoices",
    "ExerciseStatusChoices",
    "GradeChoices",
    "PlanStatusChoices",
    "RateDimensionChoices",
]


class PlanStatusChoices(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class ExerciseLevelChoices(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    COUNTY = "county", _("District/county")


class ExerciseKindChoices(models.TextChoices):
    SINGLE_SUBJECT = "single_subject", _("Single-subject training")
    COMPREHENSIVE = "comprehensive", _("Comprehensive drill with real troops and equipment")
    JOINT = "joint", _("Joint military-civilian training")
    KEY_TARGET = "key_target", _("Key economic target protection")
    EVACUATION = "evacuation", _("Evacuation drill")
    CROSS_REGIONAL = "cross_regional", _("Cross-regional support exercise")
    COMPETITION = "competition", _("Team competition")
    ALARM_TEST = "alarm_test", _("Air-raid alarm test drill")


class ExerciseStatusChoices(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceStatusChoices(models.TextChoices):
    EXPECTED = "expected", _("Not yet recorded")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class GradeChoices(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class RateDimensionChoices(models.TextChoices):
    """What the participation and grade rates are grouped by."""

    EXERCISE = "exercise", _("Exercise")
    TEAM = "team", _("Team")
    TEAM_TYPE = "team_type", _("Team type")
    UNIT = "unit", _("Member unit")
    REGION = "region", _("Region")
    YEAR = "year", _("Year")
