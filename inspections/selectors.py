"""Reads of the inspections app: who answers at each escalation level of an overdue order.
Selectors only read; they never import services."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from mobilization.choices import RoleChoices
from mobilization.workqueue import work_item

from .choices import RectificationStatusChoices, ReportStatusChoices
from .models import InspectionReport, Rectification

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

__all__ = [
    "ESCALATION_CHAIN",
    "escalation_recipients",
    "rectifications_due",
    "rectifications_overdue",
    "reports_to_review",
]

# Escalation level -> (role notified, significant digits of the region they are bound to).
ESCALATION_CHAIN = {
    1: (RoleChoices.STATION_DIRECTOR, 9),  # the township's workstation
    2: (RoleChoices.OFFICE_STAFF, 6),  # the district/county office
    3: (RoleChoices.OFFICE_STAFF, 4),  # the city office
}


def escalation_recipients(*, region_code: str, level: int) -> list[User]:
    """Active users of the role that answers at `level` for the region around `region_code`."""
    role, digits = ESCALATION_CHAIN[level]
    region = region_code[:digits].ljust(12, "0")
    return list(get_user_model().objects.filter(is_active=True, profile__role=role, profile__region_id=region))


# --- the work queue (mobilization.workqueue) -----------------------------------------------------

# Orders whose deadline falls within this many days are "due".
DUE_DAYS = 7


@work_item(
    "inspection_reports_to_review",
    _("Inspection reports to review"),
    order=20,
    permission="inspections.review_inspectionreport",
    admin=("admin:inspections_inspectionreport_changelist", {"status__exact": ReportStatusChoices.SUBMITTED}),
    portal=("portal:inspections-home", {}),
    tone="due",
)
def reports_to_review(*, user: User, today: datetime.date) -> QuerySet[InspectionReport]:
    return InspectionReport.objects.visible_to(user).awaiting_review()


@work_item(
    "rectifications_due",
    _("Rectification orders due within 7 days"),
    order=30,
    permission="inspections.view_rectification",
    admin=(
        "admin:inspections_rectification_changelist",
        lambda today: {"deadline__gte": today, "deadline__lte": today + datetime.timedelta(days=DUE_DAYS)},
    ),
    portal=("portal:inspections-home", {}),
    tone="due",
)
def rectifications_due(*, user: User, today: datetime.date) -> QuerySet[Rectification]:
    orders = Rectification.objects.visible_to(user).open()
    return orders.exclude(status=RectificationStatusChoices.OVERDUE).due_between(
        today, today + datetime.timedelta(days=DUE_DAYS)
    )


@work_item(
    "rectifications_overdue",
    _("Rectification orders overdue"),
    order=31,
    permission="inspections.view_rectification",
    admin=("admin:inspections_rectification_changelist", {"status__exact": RectificationStatusChoices.OVERDUE}),
    portal=("portal:inspections-home", {}),
    tone="overdue",
)
def rectifications_overdue(*, user: User, today: datetime.date) -> QuerySet[Rectification]:
    return Rectification.objects.visible_to(user).overdue()
