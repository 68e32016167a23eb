"""The call-out of people: who was called by an activation, what they answered and when, and
every answer kept as history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobilization.models import ScopedModel
from mobilization.querysets import Scope

from ..choices import CallAnswerChoices, CallAnswerSourceChoices
from .core import Activation, Team

__all__ = ["PersonCall", "PersonCallAnswer"]


class PersonCall(ScopedModel):
    """One person called out by an activation, through one of their teams.

    `code` is the random half of the person's link `/r/<code><signature>/`; the answer fields
    hold the latest answer (the history is `answers`). `reminded_at` and `escalated_at` mark the
    escalation steps taken, each once."""

    activation = models.ForeignKey(
        Activation, verbose_name=_("activation"), on_delete=models.CASCADE, related_name="person_calls"
    )
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="calls"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="person_calls")
    code = models.CharField(_("link code"), max_length=16, unique=True, editable=False)
    sms = models.ForeignKey(
        "mobilization.SMSMessage",
        verbose_name=_("text message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("called at"))
    answer = models.CharField(_("answer"), max_length=8, choices=CallAnswerChoices.choices, blank=True)
    eta_minutes = models.PositiveSmallIntegerField(_("arrives in (minutes)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("leader told at"), null=True, blank=True)

    scope = Scope(region="team__region", unit="team__unit")

    class Meta:
        ordering = ["activation_id", "team_id", "person_id"]
        verbose_name = _("called-out person")
        verbose_name_plural = _("called-out persons")
        constraints = [
            models.UniqueConstraint(fields=["activation", "person"], name="person_called_once_per_activation")
        ]
        indexes = [models.Index(fields=["activation", "team"], name="personcall_board")]

    def __str__(self):
        return f"{self.activation_id} · {self.person_id}"


class PersonCallAnswer(ScopedModel):
    """One answer or check-in, as given: the history of a call."""

    call = models.ForeignKey(PersonCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(_("answer"), max_length=8, choices=CallAnswerChoices.choices, blank=True)
    eta_minutes = models.PositiveSmallIntegerField(_("arrives in (minutes)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    checkin = models.BooleanField(_("check-in"), default=False)
    at = models.DateTimeField(_("at"))
    source = models.CharField(_("given through"), max_length=8, choices=CallAnswerSourceChoices.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope = Scope(region="call__team__region", unit="call__team__unit")

    class Meta:
        ordering = ["call_id", "at", "id"]
        verbose_name = _("call-out answer")
        verbose_name_plural = _("call-out answers")

    def __str__(self):
        return f"{self.call_id} {self.answer or ''} {self.at:%H:%M}"
