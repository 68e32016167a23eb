from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import SMSStatusChoices
from ..fields import EncryptedCharField
from .base import ScopedModel

__all__ = ["SMSMessage"]


class SMSMessage(ScopedModel):
    """One text message to one mobile, with its delivery status.

    `key` names what the message is (e.g. "callout:12:person:7") and is unique, so a message is
    queued at most once however often its sender runs. `batch` groups the messages one task sends
    (a call-out's 10,000 texts). Only a superuser browses these rows; the call-out board reads the
    status of its own messages through their keys."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    batch = models.CharField(_("batch"), max_length=100, blank=True, db_index=True)
    to = EncryptedCharField(_("mobile phone"), max_length=20)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=16, choices=SMSStatusChoices.choices, default=SMSStatusChoices.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    provider_id = models.CharField(_("gateway message id"), max_length=64, blank=True, db_index=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        indexes = [
            models.Index(
                fields=["batch", "id"], condition=Q(status=SMSStatusChoices.QUEUED), name="sms_queued_in_batch"
            )
        ]

    def __str__(self):
        return f"{self.key} ({self.get_status_display()})"
