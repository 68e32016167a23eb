from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamLevelChoices(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal")
    COUNTY = "county", _("District/county")
    TOWNSHIP = "township", _("Township")


class TeamStatusChoices(models.TextChoices):
    ACTIVE = "active", _("Active")
    STANDING_DOWN = "standing_down", _("Standing down")
    DISBANDED = "disbanded", _("Disbanded")


class EquipmentConditionChoices(models.TextChoices):
    SERVICEABLE = "serviceable", _("Serviceable")
    NEEDS_REPAIR = "needs_repair", _("Needs repair")
    UNSERVICEABLE = "unserviceable", _("Unserviceable")


class ActivationStatusChoices(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    ASSEMBLING = "assembling", _("Assembling")
    DEPLOYED = "deployed", _("Deployed")
    STOOD_DOWN = "stood_down", _("Stood down")


class CallAnswerChoices(models.TextChoices):
    """A called-out person's answer; "" while they are silent."""

    YES = "yes", _("Coming")
    NO = "no", _("Cannot come")


class CallAnswerSourceChoices(models.TextChoices):
    LINK = "link", _("Personal link")
    LEADER = "leader", _("Team leader")
    OFFICE = "office", _("Office")
