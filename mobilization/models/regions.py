from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import RegionLevelChoices
from ..querysets import LEVEL_DIGITS, Scope, region_prefix
from ..validators import validate_region_code
from .base import BaseModel

__all__ = ["Region"]


class Region(BaseModel):
    """An administrative division by its 12-digit statistical code; the code is the key,
    so a subtree is a prefix match on the foreign key column itself."""

    code = models.CharField(_("division code"), max_length=12, primary_key=True, validators=[validate_region_code])
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevelChoices.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    scope = Scope(region="self", grid=True, system=True, accounts=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def prefix(self):
        return region_prefix(self.code)

    def clean(self):
        from django.core.exceptions import ValidationError

        digits = LEVEL_DIGITS.get(self.level)
        if digits and self.code and self.code[digits:].strip("0"):
            raise ValidationError({"code": _("This code has more digits than its level allows.")})
        if self.parent_id and not self.code.startswith(region_prefix(self.parent_id)):
            raise ValidationError({"parent": _("A region's code must begin with its parent's code.")})
