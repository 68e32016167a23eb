from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["IdempotencyKey"]


class IdempotencyKey(models.Model):
    """A create or upload the API has already carried out for a client's `Idempotency-Key`: a phone
    that sends its queued draft again (it never heard the answer, the signal dropped) is answered with
    what was made the first time, and nothing is made twice.

    Only a reference to the result is kept (its model and ids), never the answer's body: the answer
    is rendered again for the asking user, so no personal data sits in this table."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    endpoint = models.CharField(_("endpoint"), max_length=200)
    key = models.CharField(_("idempotency key"), max_length=100)
    status_code = models.PositiveSmallIntegerField(_("status code"), default=0)
    model = models.CharField(_("model"), max_length=100, blank=True)
    object_ids = models.JSONField(_("objects made"), default=list, blank=True)
    many = models.BooleanField(_("a list"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint", "key"], name="idempotency_key_once_per_user_endpoint")
        ]

    def __str__(self):
        return f"{self.endpoint} {self.key}"
