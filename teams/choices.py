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
