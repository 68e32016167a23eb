from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AuditActionChoices
from ..querysets import Scope
from .base import ScopedModel

__all__ = ["AuditEvent"]


class AuditEvent(ScopedModel):
    """Who did what sensitive thing, when and from where: logins, reveals, exports, bulk changes.
    Ordinary record changes are in each record's history; this trail is for the rest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, blank=True
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditActionChoices.choices, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    scope = Scope(audit=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"
