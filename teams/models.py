from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobilization.models import BaseModel
from mobilization.querysets import Scope

from .choices import TeamLevelChoices, TeamStatusChoices

__all__ = ["Team", "TeamCategory", "TeamType"]


class TeamCategory(BaseModel):
    """One of the six categories of professional support teams."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = Scope(reference=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("team category")
        verbose_name_plural = _("team categories")

    def __str__(self):
        return self.name


class TeamType(BaseModel):
    """A type of team within a category, with the minimum capability a team of it must keep."""

    category = models.ForeignKey(TeamCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="types")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    min_headcount = models.PositiveIntegerField(_("minimum headcount"), default=10)

    scope = Scope(reference=True)

    class Meta:
        ordering = ["category__order", "code"]
        verbose_name = _("team type")
        verbose_name_plural = _("team types")

    def __str__(self):
        return self.name


class Team(BaseModel):
    """A professional support team raised by a member unit."""

    name = models.CharField(_("name"), max_length=200)
    team_type = models.ForeignKey(TeamType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="teams")
    level = models.CharField(_("level"), max_length=16, choices=TeamLevelChoices.choices)
    region = models.ForeignKey("mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    unit = models.ForeignKey(
        "mobilization.MemberUnit", verbose_name=_("member unit"), on_delete=models.PROTECT, related_name="teams"
    )
    authorised_strength = models.PositiveIntegerField(_("authorised strength"), validators=[MinValueValidator(1)])
    established = models.DateField(_("established"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TeamStatusChoices.choices, default=TeamStatusChoices.ACTIVE
    )
    duty_phone = models.CharField(_("duty phone"), max_length=20, blank=True)

    scope = Scope(region="region", unit="unit")

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("support team")
        verbose_name_plural = _("support teams")

    def __str__(self):
        return self.name
