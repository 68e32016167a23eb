"""Action plans (预案): per region and scenario, versioned and approved, naming what they rely on
and the minimum capability each must keep; findings of an exercise become revision items."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobilization.models import BaseModel
from mobilization.querysets import Scope

from ..choices import PlanStatusChoices, ScenarioChoices

__all__ = ["ActionPlan", "PlanRequirement", "PlanRevisionItem"]


class ActionPlan(BaseModel):
    region = models.ForeignKey(
        "mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    scenario = models.CharField(_("scenario"), max_length=20, choices=ScenarioChoices.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1, validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatusChoices.choices, default=PlanStatusChoices.DRAFT, editable=False
    )
    summary = models.TextField(_("summary"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    tested_by = models.ManyToManyField(
        "training.Exercise", verbose_name=_("tested by exercises"), blank=True, related_name="+"
    )

    scope = Scope(region="region")

    class Meta:
        ordering = ["region_id", "scenario", "-version"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        permissions = [("approve_actionplan", _("Can approve action plans"))]
        constraints = [
            models.UniqueConstraint(fields=["region", "scenario", "version"], name="one_plan_version_per_scenario")
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"


class PlanRequirement(BaseModel):
    """One thing a plan relies on — a team type, a team, a material stock or a facility — with
    the minimum it must have for the plan to hold."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="requirements"
    )
    team_type = models.ForeignKey(
        "teams.TeamType", verbose_name=_("team type"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stock = models.ForeignKey(
        "inspections.MaterialStock",
        verbose_name=_("material stock"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    facility = models.ForeignKey(
        "inspections.Facility",
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    min_ready_teams = models.PositiveSmallIntegerField(
        _("minimum ready teams"), null=True, blank=True, help_text=_("For a team type: ready teams in the region.")
    )
    min_headcount = models.PositiveIntegerField(
        _("minimum headcount"), null=True, blank=True, help_text=_("For a team: empty means its type's minimum.")
    )
    require_ready = models.BooleanField(_("team must be ready"), default=False)
    min_quantity = models.DecimalField(
        _("minimum quantity"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("For a stock.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    TARGETS = ("team_type", "team", "stock", "facility")

    scope = Scope(region="plan__region")

    class Meta:
        ordering = ["plan_id", "pk"]
        verbose_name = _("plan requirement")
        verbose_name_plural = _("plan requirements")

    def __str__(self):
        return str(self.target or "")

    @property
    def target(self):
        for name in self.TARGETS:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None

    def clean(self):
        named = [n for n in self.TARGETS if getattr(self, f"{n}_id")]
        if len(named) != 1:
            raise ValidationError(_("Name exactly one team type, team, material stock or facility."))
        if named[0] == "team_type" and not self.min_ready_teams:
            raise ValidationError({"min_ready_teams": _("Say how many ready teams of the type the plan needs.")})
        if named[0] == "stock" and self.min_quantity is None:
            raise ValidationError({"min_quantity": _("Say what quantity of the stock the plan needs.")})


class PlanRevisionItem(BaseModel):
    """A finding (of an exercise that tested the plan, or of a review) the plan must put right."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="revision_items"
    )
    exercise = models.ForeignKey(
        "training.Exercise",
        verbose_name=_("exercise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finding = models.TextField(_("finding"))
    owner = models.CharField(_("owner"), max_length=100)
    deadline = models.DateField(_("deadline"))
    done = models.BooleanField(_("done"), default=False)

    scope = Scope(region="plan__region")

    class Meta:
        ordering = ["done", "deadline", "pk"]
        verbose_name = _("plan revision item")
        verbose_name_plural = _("plan revision items")

    def __str__(self):
        return self.finding[:60]
