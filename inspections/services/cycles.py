"""Inspection cycles: their editing, reminders before a facility falls due, and the overdue sweep."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from mobilization.choices import NotificationKindChoices
from mobilization.escalation import escalate
from mobilization.services import notify

from ..cycles import schedule
from ..models import (
    InspectionCycle,
)
from ..selectors import grid_inspectors

if TYPE_CHECKING:
    from django.contrib.auth.models import User


__all__ = ["inspection_cycle_save", "inspections_remind_due", "inspections_sweep_overdue"]


from .media import _today

# --- inspection cycles: reminders and overdue escalation ----------------------------------------


@transaction.atomic
def inspection_cycle_save(*, by: User, cycle: InspectionCycle | None = None, **fields: Any) -> InspectionCycle:
    """Set how often facilities of a kind are inspected in a region's subtree."""
    cycle = cycle or InspectionCycle()
    for name, value in fields.items():
        setattr(cycle, name, value)
    cycle.full_clean()
    cycle.save()
    return cycle


def inspections_remind_due(*, today: date | None = None) -> int:
    """Remind the grid's inspectors of each facility due within its reminder window and not yet
    inspected this cycle: once per facility and cycle (the notification's key names both)."""
    from ..models import Facility

    today = _today(today)
    sent = 0
    rows = [row for row in schedule(Facility.objects.all(), today) if row.remind_on(today)]
    inspectors = grid_inspectors({row.region_id for row in rows})
    for row in rows:
        recipients = inspectors.get(row.region_id, [])
        sent += notify(
            recipients=recipients,
            key=f"inspection-due:{row.facility_id}:{row.cycle_end.isoformat()}",
            kind=NotificationKindChoices.INSPECTION_DUE,
            title=_("Inspection due by %(date)s: %(facility)s") % {"date": row.due_on, "facility": row.name},
            url=reverse("portal:inspections-facilities") + f"?q={row.name}",
        )
    return sent


def inspections_sweep_overdue(*, today: date | None = None) -> dict[str, int]:
    """Escalate each overdue inspection as an overdue rectification order escalates: one level
    per sweep when earned (`INSPECTIONS_ESCALATION_STEP_DAYS` apart), workstation, then
    district/county office, then city office, a level with nobody at it passed over. The level
    reached is the highest in the keys of the notifications already sent for the missed cycle,
    so each step happens once and a second sweep on the same day changes nothing."""
    from mobilization.models import Notification

    from ..models import Facility

    today = _today(today)
    escalated = 0
    overdue = [row for row in schedule(Facility.objects.all(), today) if row.overdue]
    for row in overdue:
        key = f"inspection-overdue:{row.facility_id}:{row.due_on.isoformat()}"
        sent = Notification.objects.filter(key__startswith=f"{key}:escalation:").values_list("key", flat=True)
        reached = max((int(sent_key.rsplit(":", 1)[1]) for sent_key in sent.distinct()), default=0)
        level = escalate(
            region_code=row.region_id,
            level=reached,
            days_overdue=row.days_overdue,
            key=key,
            kind=NotificationKindChoices.INSPECTION_OVERDUE,
            title=_("Overdue inspection: %(facility)s") % {"facility": row.name},
            body=_("Not inspected in the cycle that ended %(date)s (%(days)s days ago).")
            % {"date": row.due_on, "days": row.days_overdue},
            url=reverse("portal:inspections-schedule"),
        )
        escalated += level > reached
    return {"overdue": len(overdue), "escalated": escalated}
