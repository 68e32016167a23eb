from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobilization.fields import CiphertextField, EncryptedCharField, KeyedHashField, SealedJSONField
from mobilization.models import BaseModel
from mobilization.querysets import Scope
from mobilization.validators import validate_mobile_phone

from .choices import (
    MembershipRoleChoices,
    PhysicalConditionChoices,
    PoliticalStatusChoices,
    RosterChangeActionChoices,
    RosterChangeSourceChoices,
    RosterChangeStatusChoices,
    SexChoices,
    UnavailabilityReasonChoices,
)
from .querysets import MembershipQuerySet, PersonQuerySet, QualificationQuerySet, RosterChangeQuerySet

PHONE_KEYS = ("phone", "emergency_contact_phone")

__all__ = [
    "Membership",
    "Person",
    "PersonRegion",
    "Qualification",
    "QualificationKind",
    "RosterChange",
    "RosterChangeItem",
]


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
    and shown masked; in clear are only what the mask shows, the birth year and the sex (see
    members.masking). members.services sets and reveals it. Phones are encrypted too."""

    name = models.CharField(_("full name"), max_length=50)
    id_number_encrypted = CiphertextField(_("ID number (encrypted)"), hash_field="id_number_hash")
    id_number_hash = models.CharField(_("ID number hash"), max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    # The year alone: a full birth date is the eight digits the mask hides (see README, "Personal data").
    birth_year = models.PositiveSmallIntegerField(_("birth year"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=SexChoices.choices, editable=False)
    phone = EncryptedCharField(_("mobile phone"), max_length=11, blank=True, validators=[validate_mobile_phone])
    phone_hash = KeyedHashField(_("mobile phone hash"), source="phone")
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
    political_status = models.CharField(
        _("political status"),
        max_length=16,
        choices=PoliticalStatusChoices.choices,
        default=PoliticalStatusChoices.MASSES,
    )
    veteran = models.BooleanField(_("veteran"), default=False)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=50, blank=True)
    emergency_contact_phone = EncryptedCharField(
        _("emergency contact phone"), max_length=11, blank=True, validators=[validate_mobile_phone]
    )
    # Unavailable through `unavailable_until` (inclusive), available again the day after: a call-out
    # skips the person and readiness does not count them. Set by `person_set_availability`.
    unavailable_until = models.DateField(_("unavailable until"), null=True, blank=True)
    unavailable_reason = models.CharField(
        _("reason unavailable"), max_length=16, choices=UnavailabilityReasonChoices.choices, blank=True
    )
    unavailable_note = models.CharField(_("note on availability"), max_length=200, blank=True)

    objects = PersonQuerySet.as_manager()
    # A person belongs to their employer's unit and region; the liaison and office of a team
    # they serve in (current or past) see them too, through the memberships. The regions an
    # office sees a person through (both of those) are kept in PersonRegion: its scope is one
    # index range on the office's prefix instead of a scan of every person.
    scope = Scope(region="employer__region", unit="employer", via="memberships", regions="scope_regions")

    class Meta:
        ordering = ["name", "id"]
        # The list's order: a page is read off this index instead of sorting every person.
        indexes = [models.Index(fields=["name", "id"], name="person_list_order")]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        permissions = [
            ("reveal_id_number", _("Can reveal a full resident ID number")),
            ("set_availability_person", _("Can set a person's availability")),
        ]

    def __str__(self):
        return self.name

    def is_available(self, day):
        return self.unavailable_until is None or self.unavailable_until < day


class PersonRegion(models.Model):
    """A region through which offices see a person: their employer's, and the region of every team
    they serve or served in. Derived, not a record: rebuilt from those rows by
    `members.services.person_regions_refresh` (called by the signals of persons, memberships,
    member units and teams, and by every bulk write), so an office's persons are one index range
    scan on its region-code prefix (`Scope.regions`)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="scope_regions")
    region = models.ForeignKey("mobilization.Region", on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "region"], name="person_region_unique")]
        # The prefix range (LIKE '3703%') and the person ids from the index alone.
        indexes = [
            models.Index(
                fields=["region", "person"], name="person_region_prefix", opclasses=["varchar_pattern_ops", "int8_ops"]
            )
        ]
        default_permissions = ()  # nobody edits it: the services rebuild it
        verbose_name = _("person's region")
        verbose_name_plural = _("persons' regions")

    def __str__(self):
        return f"{self.person_id} @ {self.region_id}"


class Membership(BaseModel):
    """A person's place in a team for a span of time; ended memberships stay as history."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey("teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRoleChoices.choices, default=MembershipRoleChoices.MEMBER
    )
    joined = models.DateField(_("joined"))
    left = models.DateField(_("left"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
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

    def clean(self):
        if self.joined and self.left and self.left < self.joined:
            raise ValidationError({"left": _("A member cannot leave before joining.")})
        if self.person_id and self.left is None:
            others = Membership.objects.filter(person_id=self.person_id, left__isnull=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"person": _("This person is already in another team.")})


class Qualification(BaseModel):
    """A certificate a person holds; past its expiry it no longer counts toward readiness."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.ForeignKey(QualificationKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    number = models.CharField(_("certificate number"), max_length=64, blank=True)
    issued = models.DateField(_("issued"))
    expires = models.DateField(_("expires"), null=True, blank=True)

    objects = QualificationQuerySet.as_manager()
    scope = Scope(region="person__employer__region", unit="person__employer", via="person")

    class Meta:
        ordering = ["person_id", "kind_id"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self):
        return f"{self.person} {self.kind}"

    def clean(self):
        if self.issued and self.expires and self.expires < self.issued:
            raise ValidationError({"expires": _("A qualification cannot expire before it is issued.")})


class RosterChange(BaseModel):
    """A member unit's request to change its teams' roster: added, edited and removed people.

    Nothing reaches the roster until office staff approve; `base_version` fingerprints the
    rows the request touches as they were when it was made, so approval can refuse a request
    whose roster changed underneath."""

    unit = models.ForeignKey(
        "mobilization.MemberUnit", verbose_name=_("member unit"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    source = models.CharField(
        _("source"), max_length=16, choices=RosterChangeSourceChoices.choices, default=RosterChangeSourceChoices.FORM
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RosterChangeStatusChoices.choices,
        default=RosterChangeStatusChoices.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    base_version = models.CharField(_("roster version at submission"), max_length=64, editable=False)

    objects = RosterChangeQuerySet.as_manager()
    scope = Scope(region="unit__region", unit="unit")

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("roster change request")
        verbose_name_plural = _("roster change requests")
        permissions = [("decide_rosterchange", _("Can approve or reject a roster change request"))]

    def __str__(self):
        return _("Roster change #%(id)s of %(unit)s") % {"id": self.pk, "unit": self.unit}

    @property
    def is_pending(self):
        return self.status == RosterChangeStatusChoices.PENDING


class RosterChangeItem(BaseModel):
    """One line of a change request: the proposed values (`data`) and, for edits and removals,
    the values they replace (`before`). A new person's ID number travels encrypted, never in `data`;
    of a birth date only the year is kept, as on the person."""

    change = models.ForeignKey(
        RosterChange, verbose_name=_("change request"), on_delete=models.CASCADE, related_name="items"
    )
    row = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("action"), max_length=16, choices=RosterChangeActionChoices.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    id_number_encrypted = CiphertextField(_("ID number (encrypted)"), hash_field="id_number_hash")
    id_number_hash = models.CharField(_("ID number hash"), max_length=64, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    # Phones proposed and replaced are personal data: sealed (encrypted) inside the JSON.
    data = SealedJSONField(_("proposed values"), default=dict, sealed_keys=PHONE_KEYS)
    before = SealedJSONField(_("current values"), default=dict, sealed_keys=PHONE_KEYS)

    scope = Scope(region="change__unit__region", unit="change__unit")
    # An edit or removal carries no ciphertext but the person's hash: a key rotation copies it anew.
    hash_follows = ("person", "id_number_hash", "id_number_encrypted")

    class Meta:
        ordering = ["change_id", "row"]
        verbose_name = _("roster change item")
        verbose_name_plural = _("roster change items")

    def __str__(self):
        return f"{self.get_action_display()} {self.data.get('name') or self.id_number_masked}"
