"""Military requests (军事需求对接): raised by the military liaison, taken by the office through
intake, task meeting, needs analysis, site survey and handover; each stage a row of its own."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobilization.models import BaseModel
from mobilization.querysets import Scope

from ..choices import RequestStageChoices
from ..querysets import RequestStageQuerySet
from .files import CommandFile

__all__ = ["MilitaryRequest", "RequestAttachment", "RequestStage"]

S = RequestStageChoices


class MilitaryRequest(BaseModel):
    """A request of the armed forces for support, followed by both sides of the joint office."""

    region = models.ForeignKey(
        "mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what is needed"))
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=S.choices, default=S.INTAKE, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    teams = models.ManyToManyField("teams.Team", verbose_name=_("teams"), blank=True, related_name="+")
    stocks = models.ManyToManyField(
        "inspections.MaterialStock", verbose_name=_("material stocks"), blank=True, related_name="+"
    )
    facilities = models.ManyToManyField(
        "inspections.Facility", verbose_name=_("facilities"), blank=True, related_name="+"
    )

    scope = Scope(region="region")

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("military request")
        verbose_name_plural = _("military requests")
        permissions = [("advance_militaryrequest", _("Can take a military request to its next stage"))]

    def __str__(self):
        return self.title

    @property
    def is_closed(self):
        return self.stage == S.CLOSED

    @property
    def current_stage(self):
        """The open stage row (None once closed), from the prefetched stages when there are."""
        return next((s for s in self.stages.all() if s.completed_at is None), None)


class RequestStage(BaseModel):
    """One stage of a request: its owner, deadline and notes; completed when the request moves on.
    An open stage past its deadline escalates up the region chain as rectification orders do."""

    request = models.ForeignKey(
        MilitaryRequest, verbose_name=_("military request"), on_delete=models.CASCADE, related_name="stages"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=S.choices, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"))
    notes = models.TextField(_("notes"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0, editable=False)

    objects = RequestStageQuerySet.as_manager()
    scope = Scope(region="request__region")

    class Meta:
        ordering = ["request_id", "pk"]
        verbose_name = _("request stage")
        verbose_name_plural = _("request stages")
        constraints = [models.UniqueConstraint(fields=["request", "stage"], name="one_row_per_request_stage")]

    def __str__(self):
        return f"{self.request_id and self.request} · {self.get_stage_display()}"


class RequestAttachment(CommandFile):
    stage = models.ForeignKey(
        RequestStage, verbose_name=_("request stage"), on_delete=models.CASCADE, related_name="attachments"
    )

    scope = Scope(region="stage__request__region")

    class Meta:
        ordering = ["stage_id", "pk"]
        verbose_name = _("request attachment")
        verbose_name_plural = _("request attachments")
