from django.db import models
from django.utils.translation import gettext_lazy as _


class SexChoices(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MembershipRoleChoices(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY = "deputy", _("Deputy leader")
    MEMBER = "member", _("Member")


class PhysicalConditionChoices(models.TextChoices):
    FIT = "fit", _("Fit for duty")
    LIMITED = "limited", _("Limited duty")
    UNFIT = "unfit", _("Unfit for duty")


class PoliticalStatusChoices(models.TextChoices):
    CPC = "cpc", _("CPC member")
    CYL = "cyl", _("CYL member")
    DEMOCRATIC = "democratic", _("Member of a democratic party")
    MASSES = "masses", _("The masses")


class RosterChangeStatusChoices(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RosterChangeActionChoices(models.TextChoices):
    ADD = "add", _("Add to team")
    EDIT = "edit", _("Edit person")
    REMOVE = "remove", _("Remove from team")


class RosterChangeSourceChoices(models.TextChoices):
    FORM = "form", _("Portal form")
    API = "api", _("API")
    UPLOAD = "upload", _("Spreadsheet upload")


class UnavailabilityReasonChoices(models.TextChoices):
    """Why a person cannot answer a call-out for a while."""

    ILLNESS = "illness", _("Illness or injury")
    TRAVEL = "travel", _("Travelling")
    DUTY_ELSEWHERE = "duty_elsewhere", _("On duty elsewhere")
    FAMILY = "family", _("Family matters")
    OTHER = "other", _("Other")
