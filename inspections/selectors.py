"""Reads of the inspections app: who answers at each escalation level of an overdue order (the
chain itself is the core's, `mobilization.escalation`, shared with every overdue workflow).
Selectors only read; they never import services."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from mobilization.choices import RoleChoices
from mobilization.escalation import ESCALATION_CHAIN, escalation_recipients
from mobilization.workqueue import work_item

from .choices import RectificationStatusChoices, ReportStatusChoices
from .models import InspectionReport, Rectification

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

__all__ = [
    "ESCALATION_CHAIN",
    "escalation_recipients",
    "grid_inspectors",
    "rectifications_due",
    "rectifications_overdue",
    "reports_to_review",
    "unit_liaisons",
]


def grid_inspectors(region_codes) -> dict[str, list[User]]:
    """{facility region code: the active inspectors whose grid holds it} (a grid is a village or a
    township): one query for all the codes."""
    codes = set(region_codes)
    candidates = {code: {code, code[:9].ljust(12, "0")} for code in codes}
    wanted = set().union(*candidates.values()) if candidates else set()
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__role=RoleChoices.INSPECTOR, profile__region_id__in=wanted)
        .select_related("profile")
    )
    by_region = {}
    for user in users:
        by_region.setdefault(user.profile.region_id, []).append(user)
    return {code: [u for c in sorted(candidates[code]) for u in by_region.get(c, [])] for code in codes}


def unit_liaisons(unit_id) -> list[User]:
    """The active liaisons of a member unit: who answers for its teams' follow-ups."""
    return list(
        get_user_model().objects.filter(
            is_active=True, profile__role=RoleChoices.UNIT_LIAISON, profile__member_unit_id=unit_id
        )
    )


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
