from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ApiToken", "PasswordRecord"]


class ApiToken(models.Model):
    """One API login. Only a digest of the key is kept: a copy of the table logs nobody in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(_("key digest"), max_length=64, unique=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_used = models.DateTimeField(_("last used"), default=timezone.now)
    expires = models.DateTimeField(_("expires at the latest"))

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} {self.created:%Y-%m-%d %H:%M}"


class PasswordRecord(models.Model):
    """A password a user has had (its hash), newest first: the history reuse is checked against,
    and the newest one's date is the password's age."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_records"
    )
    password = models.CharField(_("password hash"), max_length=128)
    created = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["user", "-created"])]
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")

    def __str__(self):
        return f"{self.user} {self.created:%Y-%m-%d}"
