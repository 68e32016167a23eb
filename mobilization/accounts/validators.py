"""The password-history validator: the last N passwords may not come back."""

from django.contrib.auth.hashers import check_password
from django.utils.translation import ngettext

__all__ = ["PasswordHistoryValidator"]


class PasswordHistoryValidator:
    """Refuses any of the user's last `count` passwords, and records each new one's hash
    (Django calls `password_changed` after every saved password change, whichever path made it)."""

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        from django.core.exceptions import ValidationError

        from ..models import PasswordRecord

        if user is None or user.pk is None:
            return
        hashes = list(PasswordRecord.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        if not hashes and user.password:  # an account older than the history: its current password
            hashes = [user.password]
        if any(check_password(password, stored) for stored in hashes):
            raise ValidationError(self.message(), code="password_reused")

    def message(self):
        return ngettext(
            "Your new password may not be your current or last password.",
            "Your new password may not be one of your last %(count)d passwords.",
            self.count,
        ) % {"count": self.count}

    def password_changed(self, password, user):
        from .services import password_recorded

        password_recorded(user=user, keep=self.count)

    def get_help_text(self):
        return self.message()
