"""Joint-office tasks: created with a co-owner on each side, split to districts, claimed and
reported there with evidence, and closed only when both sides have signed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilization.choices import AuditActionChoices, RegionLevelChoices, RoleChoices
from mobilization.querysets import region_prefix, user_role
from mobilization.services import audit_record

from ..choices import AssignmentStatusChoices as A
from ..choices import JointTaskStatusChoices as T
from ..models import JointRecord, JointTask, JointTaskAssignment, JointTaskEvidence
from .files import store_uploads

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = [
    "assignment_claim",
    "assignment_report",
    "joint_record_sign",
    "joint_task_create",
    "joint_task_sign",
    "joint_task_split",
]

# Which signature a role gives: the office's, or the People's Armed Forces Department's.
SIDES = {RoleChoices.OFFICE_STAFF: "office", RoleChoices.MILITARY_LIAISON: "military"}


@transaction.atomic
def joint_task_create(*, by: User, **fields) -> JointTask:
    task = JointTask(**fields)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def joint_task_split(*, task: JointTask, districts, by: User) -> list[JointTaskAssignment]:
    """Give each district/county (within the task's region) its part of the task."""
    if task.status != T.OPEN:
        raise ValidationError(_("A closed task is not split again."))
    made = []
    prefix = region_prefix(task.region_id)
    for district in districts:
        if district.level != RegionLevelChoices.COUNTY or not district.code.startswith(prefix):
            raise ValidationError(
                {"districts": _("%(region)s is no district or county of the task's region.") % {"region": district}}
            )
        made.append(JointTaskAssignment.objects.get_or_create(task=task, district=district)[0])
    return made


@transaction.atomic
def assignment_claim(*, assignment: JointTaskAssignment, by: User) -> JointTaskAssignment:
    assignment = JointTaskAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != A.ASSIGNED:
        raise ValidationError(_("This part of the task has been claimed already."))
    assignment.status = A.CLAIMED
    assignment.claimed_by = by
    assignment.claimed_at = timezone.now()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_report(*, assignment: JointTaskAssignment, by: User, report: str, files=()) -> JointTaskAssignment:
    """Report the district's part done, with photos or videos as evidence (at least one in all)."""
    assignment = JointTaskAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != A.CLAIMED:
        raise ValidationError(_("Claim this part of the task before reporting it."))
    stored = store_uploads(JointTaskEvidence, files, by=by, assignment=assignment)
    if not stored and not assignment.evidence.exists():
        raise ValidationError({"files": _("Attach at least one photo or video as evidence.")})
    if not report.strip():
        raise ValidationError({"report": _("Say what was done.")})
    assignment.status = A.REPORTED
    assignment.report = report
    assignment.reported_at = timezone.now()
    assignment.save()
    return assignment


@transaction.atomic
def joint_task_sign(*, task: JointTask, by: User) -> JointTask:
    """Sign the task for the signer's side once every district has reported; with both
    signatures it closes."""
    task = JointTask.objects.select_for_update().get(pk=task.pk)
    if task.status != T.OPEN:
        raise ValidationError(_("This task is closed."))
    if not task.assignments.exists() or task.assignments.exclude(status=A.REPORTED).exists():
        raise ValidationError(_("Every district must report before the task is signed."))
    side = _sign(task, by)
    if task.office_signed_by_id and task.military_signed_by_id:
        task.status = T.CLOSED
    task.save()
    audit_record(action=AuditActionChoices.APPROVE, user=by, obj=task, detail={"side": side, "status": task.status})
    return task


def _sign(obj, by):
    """Put `by`'s signature on `obj` for their side of the joint office; the side signed."""
    side = SIDES.get(user_role(by))
    if side is None:
        raise ValidationError(_("Only office staff or the military liaison sign for a side of the joint office."))
    if getattr(obj, f"{side}_signed_by_id"):
        raise ValidationError(_("Your side has signed already."))
    setattr(obj, f"{side}_signed_by", by)
    setattr(obj, f"{side}_signed_at", timezone.now())
    return side


@transaction.atomic
def joint_record_sign(*, record: JointRecord, by: User) -> JointRecord:
    """Sign a verification or supervision for the signer's side; with both it stands in the joint office's name."""
    record = JointRecord.objects.select_for_update().get(pk=record.pk)
    side = _sign(record, by)
    record.save()
    audit_record(action=AuditActionChoices.VERIFY, user=by, obj=record, detail={"side": side})
    return record
