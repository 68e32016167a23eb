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
