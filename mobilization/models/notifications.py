from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import NotificationKindChoices
from ..fields import EncryptedCharField, KeyedHashField
from ..querysets import Scope, ScopedQuerySet
from .base import ScopedModel

__all__ = ["Notification"]


class NotificationQuerySet(ScopedQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(ScopedModel):
    """A message to one user. `key` names what it is about (e.g. "drill:12:lead:7"), and
    (recipient, key) is unique: sending the same thing twice creates nothing the second time.

    A person who has no account (a team leader, say) is reached by SMS alone: the row then has
    no recipient but a `phone` (encrypted; its keyed hash with `key` is unique among such rows. Nobody but a
    superuser sees those rows; they exist so the SMS goes out exactly once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    phone = EncryptedCharField(_("mobile phone (no account)"), max_length=20, blank=True)
    phone_hash = KeyedHashField(_("mobile phone hash"), source="phone")
    key = models.CharField(_("key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=50, choices=NotificationKindChoices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    send_email = models.BooleanField(_("send by email"), default=False)
    send_sms = models.BooleanField(_("send by SMS"), default=False)
    email_sent_at = models.DateTimeField(_("email sent at"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("SMS sent at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()
    scope = Scope(self_user="recipient")

    class Meta:
        ordering = ["-created"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient"),
            models.UniqueConstraint(
                fields=["phone_hash", "key"], condition=Q(recipient__isnull=True), name="notification_once_per_phone"
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(phone=""), name="notification_recipient_or_phone"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title
