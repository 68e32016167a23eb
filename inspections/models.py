"""Facilities of the grid, inspection reports with their photos and videos, rectification
orders that close the loop, team evaluations, and verification of mobilisation-potential data."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobilization.choices import RegionLevelChoices, RoleChoices
from mobilization.fields import EncryptedCharField, KeyedHashField
from mobilization.models import BaseModel
from mobilization.querysets import Scope, ScopedQuerySet
from mobilization.validators import validate_mobile_phone

from .checklists import checklist_for
from .choices import (
    ChecklistResultChoices,
    CycleMonthsChoices,
    EvaluationPeriodChoices,
    FacilityKindChoices,
    FacilityStatusChoices,
    GradeChoices,
    MediaKindChoices,
    RectificationStatusChoices,
    ReportStatusChoices,
    SeverityChoices,
)
from .querysets import (
    FacilityQuerySet,
    InspectionMediaQuerySet,
    InspectionReportQuerySet,
    RectificationQuerySet,
    VerificationLineQuerySet,
)

__all__ = [
    "EvaluationFollowUp",
    "FollowUpEvidence",
    "InspectionCycle",
    "Facility",
    "InspectionMedia",
    "InspectionReport",
    "MaterialStock",
    "PotentialVerification",
    "Rectification",
    "RectificationEvidence",
    "TeamEvaluation",
    "VerificationLine",
    "media_upload_to",
]


def optional_user(verbose_name):
    """A user who may be recorded later (reviewer, verifier, evaluator)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


def require_warehouse(obj, message, kinds=(FacilityKindChoices.RESERVE_WAREHOUSE,)):
    """Verification belongs to reserve warehouses only; stocks also to contact points (their reserves)."""
    if obj.facility_id and obj.facility.kind not in kinds:
        raise ValidationError({"facility": message})


def media_upload_to(instance, filename):
    """A path of our own: a random name and the extension of the sniffed type, never the user's name."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    today = timezone.localdate()
    return f"inspections/{today:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Facility(BaseModel):
    """A facility the grid inspects: civil air-defence works, an alarm siren, a reserve
    warehouse, an emergency shelter or a key military facility."""

    kind = models.CharField(_("kind"), max_length=32, choices=FacilityKindChoices.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255)
    region = models.ForeignKey(
        "mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="facilities"
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    responsible_party = models.CharField(_("responsible party"), max_length=200, blank=True)
    responsible_contact = models.CharField(_("contact person"), max_length=50, blank=True)
    responsible_phone = EncryptedCharField(
        _("contact phone"), max_length=11, blank=True, validators=[validate_mobile_phone]
    )
    responsible_phone_hash = KeyedHashField(_("contact phone hash"), source="responsible_phone")
    status = models.CharField(
        _("status"), max_length=16, choices=FacilityStatusChoices.choices, default=FacilityStatusChoices.IN_SERVICE
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = FacilityQuerySet.as_manager()
    scope = Scope(region="region", grid=True)
    # Besides office staff and liaisons, the grid rings a facility's contact about inspections and orders.
    phone_readers = (RoleChoices.INSPECTOR, RoleChoices.STATION_DIRECTOR)

    class Meta:
        ordering = ["region_id", "kind", "name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="facility_name_unique_in_region")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.region_id and self.region.level not in (RegionLevelChoices.TOWNSHIP, RegionLevelChoices.VILLAGE):
            raise ValidationError({"region": _("A facility lies in a township or a village.")})

    @property
    def checklist(self):
        return checklist_for(self.kind)


class InspectionCycle(BaseModel):
    """How often facilities of one kind are inspected in a region's subtree. The deepest region
    with a cycle for the kind decides; without any, the kind's default (`cycles.DEFAULT_MONTHS`)."""

    kind = models.CharField(_("facility kind"), max_length=32, choices=FacilityKindChoices.choices)
    region = models.ForeignKey(
        "mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    months = models.PositiveSmallIntegerField(_("cycle"), choices=CycleMonthsChoices.choices)
    remind_days = models.PositiveSmallIntegerField(
        _("remind days before the due date"), default=7, validators=[MaxValueValidator(60)]
    )

    objects = ScopedQuerySet.as_manager()
    # Offices below read (and follow) the cycles set above them.
    scope = Scope(region="region", grid=True, inherited=True)

    class Meta:
        ordering = ["region_id", "kind"]
        verbose_name = _("inspection cycle")
        verbose_name_plural = _("inspection cycles")
        constraints = [models.UniqueConstraint(fields=["kind", "region"], name="one_cycle_per_kind_and_region")]

    def __str__(self):
        return f"{self.region} · {self.get_kind_display()} · {self.get_months_display()}"


class InspectionReport(BaseModel):
    """A grid member's inspection feedback form on one facility: the checklist of its kind,
    findings and their severity, photos and videos. A draft is saved until submitted."""

    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="reports")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatusChoices.choices, default=ReportStatusChoices.DRAFT
    )
    inspected_on = models.DateField(_("inspected on"), default=timezone.localdate)
    # {item key: {"result": ok|defect|na, "note": "..."}} for the items of the facility kind's checklist.
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=16, choices=SeverityChoices.choices, default=SeverityChoices.NONE
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Where the phone was when the report was filed, only with the inspector's consent; never
    # taken from (and never written into) the photos.
    filed_latitude = models.DecimalField(
        _("latitude at filing"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    filed_longitude = models.DecimalField(
        _("longitude at filing"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    filed_accuracy_m = models.PositiveIntegerField(_("position accuracy (m)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance from the facility (m)"), null=True, blank=True, editable=False)
    reviewed_by = optional_user(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    # The facility's region, kept on the report (by save() and by a facility's move, see
    # inspections.signals): an office's reports are an index range on its region-code prefix
    # instead of a join that reads every report.
    region = models.ForeignKey(
        "mobilization.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )

    objects = InspectionReportQuerySet.as_manager()
    scope = Scope(region="region", grid=True, owner="inspector")

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        # The list's order: a page is read off this index instead of sorting every report.
        indexes = [models.Index(fields=["-inspected_on", "-id"], name="inspectionreport_list_order")]
        verbose_name = _("inspection report")
        verbose_name_plural = _("inspection reports")
        permissions = [("review_inspectionreport", _("Can review inspection reports"))]

    def __str__(self):
        return f"{self.facility} · {self.inspected_on}"

    def save(self, *args, **kwargs):
        if self.facility_id:
            self.region_id = self.facility.region_id
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "facility" in update_fields:
                kwargs["update_fields"] = {*update_fields, "region"}
        super().save(*args, **kwargs)

    @property
    def is_draft(self):
        return self.status == ReportStatusChoices.DRAFT

    @property
    def filed_far_away(self):
        """Filed farther from the facility's recorded position than INSPECTION_MAX_DISTANCE_M."""
        return self.distance_m is not None and self.distance_m > settings.INSPECTION_MAX_DISTANCE_M

    def checklist_rows(self):
        """(key, label, result, note) for each item of the facility kind's checklist."""
        answers = self.checklist or {}
        return [
            (key, label, (answers.get(key) or {}).get("result", ""), (answers.get(key) or {}).get("note", ""))
            for key, label in checklist_for(self.facility.kind)
        ]

    def clean(self):
        if not self.facility_id:
            return
        if not isinstance(self.checklist, dict):
            raise ValidationError({"checklist": _("The checklist is a mapping of item to answer.")})
        known = {key for key, _label in checklist_for(self.facility.kind)}
        unknown = sorted(set(self.checklist) - known)
        if unknown:
            raise ValidationError(
                {"checklist": _("Items not on this facility's checklist: %(items)s") % {"items": ", ".join(unknown)}}
            )
        results = set(ChecklistResultChoices.values)
        for key, answer in self.checklist.items():
            if not isinstance(answer, dict) or answer.get("result") not in results:
                raise ValidationError({"checklist": _("Item %(item)s needs a result.") % {"item": key}})
        if self.status != ReportStatusChoices.DRAFT:
            missing = sorted(known - set(self.checklist))
            if missing:
                raise ValidationError(
                    {
                        "checklist": _("Answer every checklist item before submitting: %(items)s")
                        % {"items": ", ".join(missing)}
                    }
                )
            defects = any(a["result"] == ChecklistResultChoices.DEFECT for a in self.checklist.values())
            if defects and self.severity == SeverityChoices.NONE:
                raise ValidationError({"severity": _("A report with defects needs a severity.")})


class MediaFile(BaseModel):
    """A stored photo or video: checked by its content, re-encoded if a photo, kept under a random name."""

    file = models.FileField(_("file"), upload_to=media_upload_to, max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=MediaKindChoices.choices)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class InspectionMedia(MediaFile):
    report = models.ForeignKey(
        InspectionReport, verbose_name=_("inspection report"), on_delete=models.CASCADE, related_name="media"
    )

    objects = InspectionMediaQuerySet.as_manager()
    scope = Scope(region="report__region", grid=True, owner="report__inspector")

    class Meta:
        ordering = ["report_id", "pk"]
        verbose_name = _("inspection photo or video")
        verbose_name_plural = _("inspection photos and videos")


class Rectification(BaseModel):
    """A rectification order to a facility's responsible party: a requirement and a deadline,
    completed with evidence, then verified (closed) or reopened by the workstation. Overdue
    orders escalate up the region chain, one level per sweep (`escalation_level`)."""

    report = models.ForeignKey(
        InspectionReport,
        verbose_name=_("inspection report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
    )
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="rectifications"
    )
    responsible_party = models.CharField(_("responsible party"), max_length=200)
    requirement = models.TextField(_("requirement"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RectificationStatusChoices.choices,
        default=RectificationStatusChoices.ISSUED,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_note = models.TextField(_("completion note"), blank=True)
    verified_by = optional_user(_("verified by"))
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    # Each reopening starts a new round with its own deadline and escalations.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), default=0, help_text=_("0 none, 1 workstation, 2 district/county office, 3 city office")
    )

    objects = RectificationQuerySet.as_manager()
    scope = Scope(region="facility__region", grid=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        indexes = [models.Index(fields=["status", "deadline"], name="rectification_due")]

    def __str__(self):
        return _("Rectification #%(n)s: %(facility)s") % {"n": self.pk, "facility": self.facility}

    def clean(self):
        if self.report_id and self.facility_id and self.report.facility_id != self.facility_id:
            raise ValidationError({"facility": _("The order concerns the facility of its report.")})


class RectificationEvidence(MediaFile):
    rectification = models.ForeignKey(
        Rectification, verbose_name=_("rectification order"), on_delete=models.CASCADE, related_name="evidence"
    )

    scope = Scope(region="rectification__facility__region", grid=True)

    class Meta:
        ordering = ["rectification_id", "pk"]
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")


SCORE = [MinValueValidator(0), MaxValueValidator(20)]
# Total out of 100 -> grade: the first threshold reached.
GRADE_THRESHOLDS = [(90, GradeChoices.EXCELLENT), (80, GradeChoices.GOOD), (60, GradeChoices.PASS)]


def grade_for(total):
    for threshold, grade in GRADE_THRESHOLDS:
        if total is not None and total >= threshold:
            return grade
    return GradeChoices.FAIL


class TeamEvaluation(BaseModel):
    """A team's inspection and evaluation for one period, scored 0-20 on each of the five aspects."""

    SCORE_FIELDS = ("personnel_score", "structure_score", "equipment_score", "response_score", "readiness_score")

    team = models.ForeignKey("teams.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    period = models.CharField(_("period"), max_length=16, choices=EvaluationPeriodChoices.choices)
    evaluated_on = models.DateField(_("evaluated on"), default=timezone.localdate)
    personnel_score = models.PositiveSmallIntegerField(_("personnel organisation"), validators=SCORE)
    structure_score = models.PositiveSmallIntegerField(_("scale and structure"), validators=SCORE)
    equipment_score = models.PositiveSmallIntegerField(_("equipment configuration"), validators=SCORE)
    response_score = models.PositiveSmallIntegerField(_("response and disposal"), validators=SCORE)
    readiness_score = models.PositiveSmallIntegerField(_("combat readiness and support capability"), validators=SCORE)
    total = models.PositiveSmallIntegerField(_("total"), editable=False, default=0)
    grade = models.CharField(_("grade"), max_length=16, choices=GradeChoices.choices, editable=False, default="")
    findings = models.TextField(_("findings"), blank=True)
    evaluated_by = optional_user(_("evaluated by"))

    scope = Scope(region="team__region", unit="team__unit")

    class Meta:
        ordering = ["-year", "period", "team_id"]
        verbose_name = _("team evaluation")
        verbose_name_plural = _("team evaluations")
        constraints = [
            models.UniqueConstraint(fields=["team", "year", "period"], name="one_evaluation_per_team_period")
        ]

    def __str__(self):
        return f"{self.team} · {self.year} {self.get_period_display()}"

    def score(self):
        """Total and grade from the five aspect scores."""
        self.total = sum(getattr(self, f) or 0 for f in self.SCORE_FIELDS)
        self.grade = grade_for(self.total)

    def save(self, *args, **kwargs):
        self.score()
        super().save(*args, **kwargs)


class EvaluationFollowUp(BaseModel):
    """An item an evaluation asks the team to put right, with its owner and deadline. The unit's
    liaison is reminded before the deadline and reports it done with evidence; past the deadline
    it escalates as an overdue rectification order does (`escalation_level`)."""

    evaluation = models.ForeignKey(
        TeamEvaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    item = models.CharField(_("item"), max_length=255)
    owner = models.CharField(_("owner"), max_length=100)
    deadline = models.DateField(_("deadline"))
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    reported_by = optional_user(_("reported done by"))
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), default=0, help_text=_("0 none, 1 the unit, 2 district/county office, 3 city office")
    )

    scope = Scope(region="evaluation__team__region", unit="evaluation__team__unit")

    class Meta:
        ordering = ["done", "deadline", "pk"]
        verbose_name = _("evaluation follow-up")
        verbose_name_plural = _("evaluation follow-ups")
        permissions = [("report_evaluationfollowup", _("Can report an evaluation follow-up done"))]

    def __str__(self):
        return self.item

    def save(self, *args, **kwargs):
        if self.done and not self.done_on:
            self.done_on = timezone.localdate()
        elif not self.done:
            self.done_on = None
        super().save(*args, **kwargs)


class FollowUpEvidence(MediaFile):
    """A photo or video showing an evaluation follow-up done."""

    follow_up = models.ForeignKey(
        EvaluationFollowUp, verbose_name=_("evaluation follow-up"), on_delete=models.CASCADE, related_name="evidence"
    )

    scope = Scope(region="follow_up__evaluation__team__region", unit="follow_up__evaluation__team__unit")

    class Meta:
        ordering = ["follow_up_id", "pk"]
        verbose_name = _("follow-up evidence")
        verbose_name_plural = _("follow-up evidence")


class MaterialStock(BaseModel):
    """A material a reserve warehouse declares it holds, or equipment and reserves a contact point
    holds (lights, escape ropes, loudhailers...)."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("reserve warehouse"), on_delete=models.CASCADE, related_name="stocks"
    )
    material_type = models.CharField(_("material type"), max_length=100)
    quantity = models.DecimalField(
        _("declared quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    unit = models.CharField(_("unit of measure"), max_length=10)

    scope = Scope(region="facility__region", grid=True)

    class Meta:
        ordering = ["facility_id", "material_type"]
        verbose_name = _("material stock")
        verbose_name_plural = _("material stocks")
        constraints = [
            models.UniqueConstraint(fields=["facility", "material_type"], name="one_stock_line_per_material")
        ]

    def __str__(self):
        return f"{self.material_type} {self.quantity.normalize():f}{self.unit}"

    def clean(self):
        require_warehouse(
            self,
            _("Material stocks are declared by reserve warehouses and contact points."),
            kinds=(FacilityKindChoices.RESERVE_WAREHOUSE, FacilityKindChoices.CONTACT_POINT),
        )


class PotentialVerification(BaseModel):
    """An on-site verification of a reserve warehouse's declared data."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("reserve warehouse"), on_delete=models.PROTECT, related_name="verifications"
    )
    verified_on = models.DateField(_("verified on"))
    verified_by = optional_user(_("verified by"))
    location_matches = models.BooleanField(_("location matches the record"), default=True)
    types_match = models.BooleanField(_("material types match"), default=True, editable=False)
    quantities_match = models.BooleanField(_("quantities match"), default=True, editable=False)
    discrepancies = models.TextField(_("discrepancies"), blank=True)

    scope = Scope(region="facility__region", grid=True)

    class Meta:
        ordering = ["-verified_on", "-pk"]
        verbose_name = _("potential verification")
        verbose_name_plural = _("potential verifications")

    def __str__(self):
        return f"{self.facility} · {self.verified_on}"

    def clean(self):
        require_warehouse(self, _("Only reserve warehouses are verified."))


class VerificationLine(BaseModel):
    """What the verifiers found for one declared stock line."""

    verification = models.ForeignKey(
        PotentialVerification, verbose_name=_("verification"), on_delete=models.CASCADE, related_name="lines"
    )
    stock = models.ForeignKey(MaterialStock, verbose_name=_("stock line"), on_delete=models.CASCADE, related_name="+")
    declared_type = models.CharField(_("declared type"), max_length=100)
    declared_quantity = models.DecimalField(_("declared quantity"), max_digits=12, decimal_places=2)
    verified_type = models.CharField(_("verified type"), max_length=100)
    verified_quantity = models.DecimalField(
        _("verified quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    type_matches = models.BooleanField(_("type matches"), editable=False, default=True)
    quantity_matches = models.BooleanField(_("quantity matches"), editable=False, default=True)
    matches = models.BooleanField(_("matches"), editable=False, default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = VerificationLineQuerySet.as_manager()
    scope = Scope(region="verification__facility__region", grid=True)

    class Meta:
        ordering = ["verification_id", "pk"]
        verbose_name = _("verification line")
        verbose_name_plural = _("verification lines")
        constraints = [models.UniqueConstraint(fields=["verification", "stock"], name="one_line_per_stock")]

    def __str__(self):
        return f"{self.declared_type}: {self.verified_quantity.normalize():f}"

    def compare(self):
        """Whether what was found is what was declared (type ignoring surrounding spaces, exact quantity)."""
        self.type_matches = self.verified_type.strip() == self.declared_type.strip()
        self.quantity_matches = Decimal(self.verified_quantity) == Decimal(self.declared_quantity)
        self.matches = self.type_matches and self.quantity_matches

    def save(self, *args, **kwargs):
        self.compare()
        super().save(*args, **kwargs)
