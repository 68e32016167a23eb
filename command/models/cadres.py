"""Officials (cadres) and their training: county chiefs, unit leaders and office staff who hold
command positions and attend command exercises and lectures, though they serve in no team.

An official is a model of its own rather than a `members.Person` without a team: a person is
registered with a resident ID number (encrypted, unique) by their employing member unit and is
counted in the roster figures; an official is named by post and organisation (a county
government, the armed forces department), is no member unit's employee, and needs no ID number."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobilization.models import BaseModel
from mobilization.querysets import Scope

from ..choices import CadreSessionKindChoices
from .files import CommandFile

__all__ = ["CadreAttendance", "CadreSession", "Official", "SessionMaterial"]


class Official(BaseModel):
    region = models.ForeignKey(
        "mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    post_title = models.CharField(_("post"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200)

    scope = Scope(region="region")

    class Meta:
        ordering = ["region_id", "name", "pk"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self):
        return f"{self.name}（{self.post_title}）"


class CadreSession(BaseModel):
    """A command exercise or lecture for officials; it may be part of a team exercise."""

    region = models.ForeignKey(
        "mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CadreSessionKindChoices.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    exercise = models.ForeignKey(
        "training.Exercise",
        verbose_name=_("exercise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    plan = models.ForeignKey(
        "command.ActionPlan",
        verbose_name=_("action plan exercised"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope = Scope(region="region")

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("cadre training session")
        verbose_name_plural = _("cadre training sessions")

    def __str__(self):
        return self.title


class CadreAttendance(BaseModel):
    """An official's attendance of a session and their assessment (0-100)."""

    session = models.ForeignKey(
        CadreSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    official = models.ForeignKey(Official, verbose_name=_("official"), on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"), default=True)
    score = models.PositiveSmallIntegerField(
        _("assessment score"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    scope = Scope(region="session__region")

    class Meta:
        ordering = ["session_id", "official__name"]
        verbose_name = _("cadre attendance")
        verbose_name_plural = _("cadre attendance")
        constraints = [models.UniqueConstraint(fields=["session", "official"], name="one_attendance_per_official")]

    def __str__(self):
        return f"{self.official_id and self.official} · {self.session_id and self.session}"


class SessionMaterial(CommandFile):
    """A document scan or film of a session's materials library, served only in its scope."""

    session = models.ForeignKey(
        CadreSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    scope = Scope(region="session__region")

    class Meta:
        ordering = ["session_id", "pk"]
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")
