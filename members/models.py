from django.db import models
from django.utils.translation import gettext_lazy as _

from mobilization.models import BaseModel
from mobilization.querysets import Scope

from .choices import MembershipRoleChoices, PhysicalConditionChoices, SexChoices

__all__ = ["Membership", "Person", "Qualification", "QualificationKind"]


class QualificationKind(BaseModel):
    """A kind of certificate or qualification (e.g. paramedic licence, drone pilot licence)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    scope = Scope(reference=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("qualification kind")
        verbose_name_plural = _("qualification kinds")

    def __str__(self):
        return self.name


class Person(BaseModel):
    """A person on the roster. The resident ID number is held encrypted, found by its keyed hash
    and shown masked; see members.services for how it is set and revealed."""

    name = models.CharField(_("name"), max_length=50)
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), editable=False)
    id_number_hash = models.CharField(_("ID number hash"), max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=SexChoices.choices, editable=False)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    employer = models.ForeignKey(
        "mobilization.MemberUnit", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="persons"
    )
    specialty = models.CharField(_("specialty"), max_length=100, blank=True)
    physical_condition = models.CharField(
        _("physical condition"),
        max_length=16,
        choices=PhysicalConditionChoices.choices,
        default=PhysicalConditionChoices.FIT,
    )

    scope = Scope(region="employer__region", unit="employer")

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return self.name


class Membership(BaseModel):
    """A person's place in a team for a span of time; ended memberships stay as history."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey("teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRoleChoices.choices, default=MembershipRoleChoices.MEMBER
    )
    joined = models.DateField(_("joined"))
    left = models.DateField(_("left"), null=True, blank=True)

    scope = Scope(region="team__region", unit="team__unit")

    class Meta:
        ordering = ["team_id", "person__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # A person serves in one team at a time.
            models.UniqueConstraint(fields=["person"], condition=models.Q(left__isnull=True), name="one_current_team")
        ]

    def __str__(self):
        return f"{self.person} @ {self.team}"


class Qualification(BaseModel):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.ForeignKey(QualificationKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    number = models.CharField(_("certificate number"), max_length=64, blank=True)
    issued = models.DateField(_("issued"))
    expires = models.DateField(_("expires"), null=True, blank=True)

    scope = Scope(region="person__employer__region", unit="person__employer")

    class Meta:
        ordering = ["person_id", "kind_id"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self):
        return f"{self.person} {self.kind}"
