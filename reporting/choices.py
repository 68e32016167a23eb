"""Choices of the reporting app: report periods and statuses, snapshot kinds, the phases of the year."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["PeriodKindChoices", "ReportStatusChoices", "SnapshotKindChoices", "YearPhaseChoices", "YearStatusChoices"]


class PeriodKindChoices(models.TextChoices):
    """The periods a statistics report covers: the calendar ones and the three phases of the year."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    PLAN = "plan", _("Annual plan (start of year)")
    SUPERVISION = "supervision", _("Supervision (mid-year)")
    EVALUATION = "evaluation", _("Evaluation (year end)")


class SnapshotKindChoices(models.TextChoices):
    """The periods scheduled snapshots are taken for."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class ReportStatusChoices(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class YearPhaseChoices(models.TextChoices):
    PLAN = "plan", _("Plan (start of year)")
    SUPERVISION = "supervision", _("Supervision (mid-year)")
    EVALUATION = "evaluation", _("Evaluation (year end)")


class YearStatusChoices(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
