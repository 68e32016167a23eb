from django.conf import settings
from django.db import models
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from ..choices import OfficeLevelChoices, SectorChoices, UnitKindChoices
from ..fields import EncryptedCharField, KeyedHashField
from ..querysets import Scope
from ..validators import validate_credit_code, validate_mobile_phone
from .base import BaseModel

__all__ = ["ContactPoint", "MemberUnit", "MemberUnitContact", "Office", "Workstation"]


class MemberUnit(BaseModel):
    """A member unit of the mobilization committee: a department, enterprise, institution
    or social organisation, possibly managed by another member unit."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKindChoices.choices)
    sector = models.CharField(_("sector"), max_length=32, choices=SectorChoices.choices)
    region = models.ForeignKey("mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    managed_by = models.ForeignKey(
        "self",
        verbose_name=_("managed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_units",
    )
    # Materialised path of ids ("12/40/"): the units a unit manages, at any depth, are one prefix match.
    tree_path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True, default="")
    address = models.CharField(_("address"), max_length=255, blank=True)

    scope = Scope(region="region", unit="self")
    # What its display (`__str__`) reads: a list that shows it only as {id, display, url} (an
    # exercise's teams and units) loads no more (mobilization.api.base.scoped_prefetches).
    brief_fields = ("name",)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.pk and self.managed_by_id and self.managed_by.tree_path.startswith(self.tree_path):
            raise ValidationError({"managed_by": _("A unit cannot be managed by itself or by a unit it manages.")})

    def save(self, *args, **kwargs):
        parent_path = self.managed_by.tree_path if self.managed_by_id else ""
        if not self.pk:
            super().save(*args, **kwargs)
            # The path ends in the unit's own id, known only after the insert; writing it with
            # update() keeps one history record per creation.
            self.tree_path = f"{parent_path}{self.pk}/"
            MemberUnit.objects.filter(pk=self.pk).update(tree_path=self.tree_path)
            return
        old_path, self.tree_path = self.tree_path, f"{parent_path}{self.pk}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.tree_path:
            # Re-parent every unit below in one statement instead of walking the tree.
            MemberUnit.objects.filter(tree_path__startswith=old_path).exclude(pk=self.pk).update(
                tree_path=Concat(models.Value(self.tree_path), Substr("tree_path", len(old_path) + 1))
            )


class MemberUnitContact(BaseModel):
    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("member unit"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = EncryptedCharField(_("mobile phone"), max_length=11, validators=[validate_mobile_phone])
    phone_hash = KeyedHashField(_("mobile phone hash"), source="phone")
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    scope = Scope(region="unit__region", unit="unit")

    class Meta:
        ordering = ["unit_id", "-is_primary", "name"]
        verbose_name = _("member unit contact")
        verbose_name_plural = _("member unit contacts")

    def __str__(self):
        return self.name


class Office(BaseModel):
    """A national defense mobilization office of a city or district/county."""

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=OfficeLevelChoices.choices)
    region = models.OneToOneField("mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    phone = models.CharField(_("duty phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    scope = Scope(region="region")

    class Meta:
        ordering = ["region_id"]
        verbose_name = _("mobilization office")
        verbose_name_plural = _("mobilization offices")

    def __str__(self):
        return self.name


class Workstation(BaseModel):
    """A township's national defense mobilization workstation: the grid's station."""

    name = models.CharField(_("name"), max_length=200)
    region = models.OneToOneField("mobilization.Region", verbose_name=_("township"), on_delete=models.PROTECT)
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="workstations")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("director"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Full-time and part-time staff, one a line with their post: most hold no account in the system.
    staff = models.TextField(_("staff"), blank=True, help_text=_("One a line: name and post."))

    scope = Scope(region="region", grid=True)

    class Meta:
        ordering = ["region_id"]
        verbose_name = _("workstation")
        verbose_name_plural = _("workstations")

    def __str__(self):
        return self.name


class ContactPoint(BaseModel):
    """A village or community contact point under a workstation."""

    name = models.CharField(_("name"), max_length=200)
    region = models.OneToOneField("mobilization.Region", verbose_name=_("village"), on_delete=models.PROTECT)
    workstation = models.ForeignKey(
        Workstation, verbose_name=_("workstation"), on_delete=models.PROTECT, related_name="contact_points"
    )
    head_name = models.CharField(_("head"), max_length=50, blank=True)
    head_title = models.CharField(
        _("head's post"), max_length=50, blank=True, help_text=_("Often the village party secretary.")
    )

    scope = Scope(region="region", grid=True)

    class Meta:
        ordering = ["region_id"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")

    def __str__(self):
        return self.name
