"""Action plans: approval (the previous approved version is superseded) and revision items from
the findings of an exercise that tested the plan. The live gap check is a read: `selectors`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilization.choices import AuditActionChoices
from mobilization.services import audit_record

from ..choices import PlanStatusChoices as P
from ..models import ActionPlan, PlanRevisionItem

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["plan_approve", "plan_revision_from_exercise"]


@transaction.atomic
def plan_approve(*, plan: ActionPlan, by: User) -> ActionPlan:
    """Approve a draft; the version approved before it for the same region and scenario is superseded."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != P.DRAFT:
        raise ValidationError(_("Only a draft plan can be approved."))
    for older in ActionPlan.objects.filter(region=plan.region, scenario=plan.scenario, status=P.APPROVED):
        older.status = P.SUPERSEDED
        older.save()
    plan.status = P.APPROVED
    plan.approved_by = by
    plan.approved_at = timezone.now()
    plan.save()
    audit_record(action=AuditActionChoices.APPROVE, user=by, obj=plan, changes={"status": [P.DRAFT, P.APPROVED]})
    return plan


@transaction.atomic
def plan_revision_from_exercise(*, plan: ActionPlan, exercise, findings, by: User) -> list[PlanRevisionItem]:
    """Record that `exercise` tested `plan` and turn its findings — (finding, owner, deadline) —
    into revision items of the plan."""
    plan.tested_by.add(exercise)
    items = []
    for finding, owner, deadline in findings:
        item = PlanRevisionItem(plan=plan, exercise=exercise, finding=finding, owner=owner, deadline=deadline)
        item.full_clean()
        item.save()
        items.append(item)
    return items
