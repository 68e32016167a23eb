"""Joint-office tasks: the mobilization office and the People's Armed Forces Department own a task
together, split it to districts, the districts claim and report with evidence, and the task
closes only when both sides have signed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobilization.models import BaseModel
from mobilization.querysets import Scope

from ..choices import AssignmentStatusChoices, JointRecordKindChoices, JointTaskStatusChoices
from .files import CommandFile

__all__ = ["JointRecord", "JointTask", "JointTaskAssignment", "JointTaskEvidence"]


def _user(verbose_name, **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class JointTask(BaseModel):
    region = models.ForeignKey(
        "mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    office_owner = _user(_("office co-owner"))
    military_owner = _user(_("military co-owner"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=JointTaskStatusChoices.choices,
        default=JointTaskStatusChoices.OPEN,
        editable=False,
    )
    office_signed_by = _user(_("signed for the office by"), editable=False)
    office_signed_at = models.DateTimeField(_("signed for the office at"), null=True, blank=True, editable=False)
    military_signed_by = _user(_("signed for the armed forces department by"), editable=False)
    military_signed_at = models.DateTimeField(
        _("signed for the armed forces department at"), null=True, blank=True, editable=False
    )

    scope = Scope(region="region", via="assignments")

    class Meta:
        ordering = ["status", "-created", "-pk"]
        verbose_name = _("joint-office task")
        verbose_name_plural = _("joint-office tasks")
        permissions = [("sign_jointtask", _("Can sign a joint-office task for their side"))]

    def __str__(self):
        return self.title


class JointTaskAssignment(BaseModel):
    """The part of a task split to one district: claimed there, then reported with evidence."""

    task = models.ForeignKey(JointTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments")
    district = models.ForeignKey(
        "mobilization.Region", verbose_name=_("district/county"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatusChoices.choices,
        default=AssignmentStatusChoices.ASSIGNED,
        editable=False,
    )
    claimed_by = _user(_("claimed by"), editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, editable=False)
    report = models.TextField(_("report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True, editable=False)

    scope = Scope(region="district")

    class Meta:
        ordering = ["task_id", "district_id"]
        verbose_name = _("joint-task assignment")
        verbose_name_plural = _("joint-task assignments")
        constraints = [models.UniqueConstraint(fields=["task", "district"], name="one_assignment_per_district")]

    def __str__(self):
        return f"{self.task_id and self.task} · {self.district_id and self.district}"


class JointTaskEvidence(CommandFile):
    assignment = models.ForeignKey(
        JointTaskAssignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="evidence"
    )

    scope = Scope(region="assignment__district")

    class Meta:
        ordering = ["assignment_id", "pk"]
        verbose_name = _("joint-task evidence")
        verbose_name_plural = _("joint-task evidence")


class JointRecord(BaseModel):
    """A verification or supervision recorded in the joint office's name: it stands once both the
    office and the People's Armed Forces Department have signed it."""

    region = models.ForeignKey(
        "mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=JointRecordKindChoices.choices)
    task = models.ForeignKey(
        JointTask, verbose_name=_("task"), on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    subject = models.CharField(_("subject"), max_length=200)
    findings = models.TextField(_("findings"))
    held_on = models.DateField(_("held on"))
    office_signed_by = _user(_("signed for the office by"), editable=False)
    office_signed_at = models.DateTimeField(_("signed for the office at"), null=True, blank=True, editable=False)
    military_signed_by = _user(_("signed for the armed forces department by"), editable=False)
    military_signed_at = models.DateTimeField(
        _("signed for the armed forces department at"), null=True, blank=True, editable=False
    )

    scope = Scope(region="region")

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("joint-office record")
        verbose_name_plural = _("joint-office records")
        permissions = [("sign_jointrecord", _("Can sign a joint-office record for their side"))]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.subject}"

    @property
    def signed_by_both(self):
        return bool(self.office_signed_by_id and self.military_signed_by_id)
