from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import RoleChoices
from ..querysets import Scope
from ..validators import validate_mobile_phone
from .base import BaseModel

__all__ = ["UserProfile"]


class UserProfile(BaseModel):
    """Binds a user to one role, one region and, for liaisons, one member unit: all that scoping reads."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("role"), max_length=32, choices=RoleChoices.choices)
    region = models.ForeignKey("mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    member_unit = models.ForeignKey(
        "mobilization.MemberUnit", verbose_name=_("member unit"), on_delete=models.PROTECT, null=True, blank=True
    )
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True, validators=[validate_mobile_phone])

    scope = Scope(region="region", unit="member_unit", self_user="user", accounts=True)

    class Meta:
        ordering = ["region_id", "user__username"]
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role == RoleChoices.UNIT_LIAISON and not self.member_unit_id:
            raise ValidationError({"member_unit": _("A liaison must belong to a member unit.")})
