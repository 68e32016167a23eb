"""Support teams: the taxonomy with each type's minimum capability, the teams themselves, their
equipment and standby duties, and emergency activations that call teams out."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobilization.fields import EncryptedCharField, KeyedHashField
from mobilization.models import BaseModel
from mobilization.querysets import Scope

from ..choices import ActivationStatusChoices, EquipmentConditionChoices, TeamLevelChoices, TeamStatusChoices
from ..querysets import ActivationQuerySet, TeamQuerySet

__all__ = [
    "Activation",
    "ActivationTeam",
    "Equipment",
    "EquipmentItem",
    "StandbyDuty",
    "Team",
    "TeamCategory",
    "TeamType",
    "TypeEquipmentRequirement",
    "TypeQualificationRequirement",
]


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
    """A type of team within a category, with the minimum capability a team of it must keep
    (as FEMA resource typing does): a headcount, qualification shares and serviceable equipment."""

    category = models.ForeignKey(
        TeamCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="types"
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    min_headcount = models.PositiveIntegerField(_("minimum headcount"), default=10)
    description = models.TextField(_("description"), blank=True)

    scope = Scope(reference=True)

    class Meta:
        ordering = ["category__order", "code"]
        verbose_name = _("team type")
        verbose_name_plural = _("team types")

    def __str__(self):
        return self.name


class EquipmentItem(BaseModel):
    """An item of the equipment catalogue (fire engine, satellite phone, reconnaissance drone)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit of measure"), max_length=10, default="台")

    scope = Scope(reference=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment items")

    def __str__(self):
        return self.name


class TypeQualificationRequirement(BaseModel):
    """A qualification kind that at least `min_share` per cent of a team's current members must
    hold, valid today, while fit for duty."""

    team_type = models.ForeignKey(
        TeamType, verbose_name=_("team type"), on_delete=models.CASCADE, related_name="qualification_requirements"
    )
    kind = models.ForeignKey(
        "members.QualificationKind", verbose_name=_("qualification kind"), on_delete=models.PROTECT, related_name="+"
    )
    min_share = models.PositiveSmallIntegerField(
        _("minimum share of members (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    scope = Scope(reference=True)

    class Meta:
        ordering = ["team_type_id", "kind_id"]
        verbose_name = _("required qualification")
        verbose_name_plural = _("required qualifications")
        constraints = [models.UniqueConstraint(fields=["team_type", "kind"], name="one_requirement_per_kind")]

    def __str__(self):
        return f"{self.team_type}: {self.kind} ≥ {self.min_share}%"


class TypeEquipmentRequirement(BaseModel):
    """An equipment item a team of the type must hold, serviceable, in at least `min_quantity`."""

    team_type = models.ForeignKey(
        TeamType, verbose_name=_("team type"), on_delete=models.CASCADE, related_name="equipment_requirements"
    )
    item = models.ForeignKey(
        EquipmentItem, verbose_name=_("equipment item"), on_delete=models.PROTECT, related_name="+"
    )
    min_quantity = models.PositiveIntegerField(_("minimum serviceable quantity"), validators=[MinValueValidator(1)])

    scope = Scope(reference=True)

    class Meta:
        ordering = ["team_type_id", "item_id"]
        verbose_name = _("required equipment")
        verbose_name_plural = _("required equipment")
        constraints = [models.UniqueConstraint(fields=["team_type", "item"], name="one_requirement_per_item")]

    def __str__(self):
        return f"{self.team_type}: {self.item} ≥ {self.min_quantity}"


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

    # The region level a team of each level serves.
    LEVEL_REGIONS = {
        TeamLevelChoices.MUNICIPAL: "city",
        TeamLevelChoices.COUNTY: "county",
        TeamLevelChoices.TOWNSHIP: "township",
    }

    objects = TeamQuerySet.as_manager()
    scope = Scope(region="region", unit="unit")
    # What its display (`__str__`) reads: a list that shows it only as {id, display, url} (an
    # exercise's teams and units) loads no more (mobilization.api.base.scoped_prefetches).
    brief_fields = ("name",)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("support team")
        verbose_name_plural = _("support teams")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="team_name_unique_in_region")]

    def __str__(self):
        return self.name

    def clean(self):
        level = self.LEVEL_REGIONS.get(self.level)
        if level and self.region_id and self.region.level != level:
            raise ValidationError({"region": _("A team of this level belongs to a region of the matching level.")})

    @property
    def category(self):
        return self.team_type.category

    @property
    def readiness(self):
        """The team's live readiness (a `teams.querysets.Readiness`). Rows loaded through
        `Team.objects.with_readiness()` carry it already; any other instance loads it once."""
        if getattr(self, "_readiness", None) is None:
            self._readiness = type(self).objects.with_readiness().get(pk=self.pk)._readiness
        return self._readiness


class Equipment(BaseModel):
    """What a team holds of one equipment item in one condition."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="equipment")
    item = models.ForeignKey(EquipmentItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="holdings")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit = models.CharField(_("unit of measure"), max_length=10, blank=True)
    condition = models.CharField(
        _("condition"),
        max_length=16,
        choices=EquipmentConditionChoices.choices,
        default=EquipmentConditionChoices.SERVICEABLE,
    )
    last_checked = models.DateField(_("last checked"), null=True, blank=True)

    scope = Scope(region="team__region", unit="team__unit")

    class Meta:
        ordering = ["team_id", "item_id", "condition"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        constraints = [
            models.UniqueConstraint(fields=["team", "item", "condition"], name="one_holding_per_item_and_condition")
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity}"

    def save(self, *args, **kwargs):
        if not self.unit and self.item_id:
            self.unit = self.item.unit
        super().save(*args, **kwargs)


class StandbyDuty(BaseModel):
    """A span of time in which a team is on standby, with its duty officer."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="standby_duties")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    officer_name = models.CharField(_("duty officer"), max_length=50)
    officer_phone = EncryptedCharField(_("duty officer phone"), max_length=20)
    officer_phone_hash = KeyedHashField(_("duty officer phone hash"), source="officer_phone")
    notes = models.TextField(_("notes"), blank=True)

    scope = Scope(region="team__region", unit="team__unit")

    class Meta:
        ordering = ["team_id", "start"]
        verbose_name = _("standby duty")
        verbose_name_plural = _("standby duties")
        indexes = [models.Index(fields=["team", "start", "end"], name="standby_team_span")]

    def __str__(self):
        return f"{self.team_id and self.team} {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A standby duty must end after it starts.")})
        if self.team_id and self.start and self.end:
            overlapping = StandbyDuty.objects.filter(team_id=self.team_id, start__lt=self.end, end__gt=self.start)
            if overlapping.exclude(pk=self.pk).exists():
                raise ValidationError(_("This team already has a standby duty in that time."))


class Activation(BaseModel):
    """An emergency activation order that calls support teams out."""

    title = models.CharField(_("title"), max_length=200)
    reason = models.TextField(_("reason"))
    region = models.ForeignKey("mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ordered_at = models.DateTimeField(_("ordered at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivationStatusChoices.choices, default=ActivationStatusChoices.ORDERED
    )
    stood_down_at = models.DateTimeField(_("stood down at"), null=True, blank=True)
    # A test call (the communication test of a drill) calls people out for real, but says so.
    is_test = models.BooleanField(_("test call"), default=False)
    exercise = models.ForeignKey(
        "training.Exercise",
        verbose_name=_("drill"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callout_tests",
    )
    # Escalation of the silent: a second message after `remind_after_minutes`, then their leader
    # and their unit's liaison are told `escalate_after_minutes` after that.
    remind_after_minutes = models.PositiveSmallIntegerField(
        _("remind the silent after (minutes)"), default=10, validators=[MinValueValidator(1)]
    )
    escalate_after_minutes = models.PositiveSmallIntegerField(
        _("then tell their leader after (minutes)"), default=10, validators=[MinValueValidator(1)]
    )
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), through="ActivationTeam", related_name="activations")

    objects = ActivationQuerySet.as_manager()
    scope = Scope(region="region")

    class Meta:
        ordering = ["-ordered_at"]
        verbose_name = _("activation")
        verbose_name_plural = _("activations")

    def __str__(self):
        return self.title


class ActivationTeam(BaseModel):
    """One team called out by an activation: when it was told, when it answered, how many assembled."""

    activation = models.ForeignKey(
        Activation, verbose_name=_("activation"), on_delete=models.CASCADE, related_name="callouts"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="callouts")
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assembled_headcount = models.PositiveIntegerField(_("assembled headcount"), null=True, blank=True)

    scope = Scope(region="team__region", unit="team__unit")

    class Meta:
        ordering = ["activation_id", "team_id"]
        verbose_name = _("called-out team")
        verbose_name_plural = _("called-out teams")
        constraints = [models.UniqueConstraint(fields=["activation", "team"], name="team_called_once_per_activation")]
        permissions = [("acknowledge_activationteam", _("Can acknowledge a call-out for a team"))]

    def __str__(self):
        return f"{self.activation} · {self.team}"
