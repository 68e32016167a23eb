from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ChecklistResultChoices",
    "CycleMonthsChoices",
    "EvaluationPeriodChoices",
    "FacilityKindChoices",
    "FacilityStatusChoices",
    "GradeChoices",
    "MediaKindChoices",
    "RectificationStatusChoices",
    "ReportStatusChoices",
    "SeverityChoices",
]


class FacilityKindChoices(models.TextChoices):
    CIVIL_DEFENCE_WORKS = "civil_defence_works", _("Civil air-defence works")
    ALARM_SIREN = "alarm_siren", _("Air-raid alarm siren")
    RESERVE_WAREHOUSE = "reserve_warehouse", _("Reserve warehouse")
    EMERGENCY_SHELTER = "emergency_shelter", _("Emergency shelter")
    MILITARY_FACILITY = "military_facility", _("Key military facility")
    # The grid's own posts, inspected against their standard build.
    WORKSTATION = "workstation", _("Mobilization workstation")
    CONTACT_POINT = "contact_point", _("Mobilization contact point")


class FacilityStatusChoices(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    UNDER_REPAIR = "under_repair", _("Under repair")
    OUT_OF_SERVICE = "out_of_service", _("Out of service")


class SeverityChoices(models.TextChoices):
    NONE = "none", _("No problem")
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class ReportStatusChoices(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")


class ChecklistResultChoices(models.TextChoices):
    OK = "ok", _("Good")
    DEFECT = "defect", _("Defect")
    NOT_APPLICABLE = "na", _("Not applicable")


class MediaKindChoices(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document (PDF)")  # the command app's materials and attachments only


class RectificationStatusChoices(models.TextChoices):
    ISSUED = "issued", _("Issued")
    OVERDUE = "overdue", _("Overdue")
    COMPLETED = "completed", _("Completed, awaiting verification")
    VERIFIED = "verified", _("Verified and closed")
    REOPENED = "reopened", _("Reopened")


class EvaluationPeriodChoices(models.TextChoices):
    MID_YEAR = "mid_year", _("Mid-year supervision")
    YEAR_END = "year_end", _("Year-end evaluation")


class GradeChoices(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class CycleMonthsChoices(models.IntegerChoices):
    """How often a facility is inspected: calendar months, quarters, half-years or years."""

    MONTHLY = 1, _("Monthly")
    QUARTERLY = 3, _("Quarterly")
    HALF_YEARLY = 6, _("Half-yearly")
    YEARLY = 12, _("Yearly")
