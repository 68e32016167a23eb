"""Reads of situation statistics: the figures of a region and period as reports and snapshots
store them, and the reports and snapshots the dashboard lists."""

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mobilization.choices import RegionLevelChoices
from mobilization.models import Region
from mobilization.querysets import _reads_by_region, user_profile
from mobilization.workqueue import work_item

from .choices import ReportStatusChoices
from .models import DashboardFigures, StatisticsReport, StatisticsSnapshot
from .sections import compute_figures

__all__ = [
    "DASHBOARD_LEVELS",
    "dashboard_regions",
    "home_region",
    "recent_reports",
    "recent_snapshots",
    "statistics_figures",
    "statistics_reports_to_review",
    "statistics_reports_to_submit",
    "stored_figures",
]

# The levels the dashboard offers to choose from.
DASHBOARD_LEVELS = (RegionLevelChoices.PROVINCE, RegionLevelChoices.CITY, RegionLevelChoices.COUNTY)


def statistics_figures(region: Region, period_start: datetime.date, period_end: datetime.date, progress=None) -> dict:
    """The figures as reports and snapshots store them: in the office's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return compute_figures(region, period_start, period_end, progress=progress)


def stored_figures(region: Region, kind: str, period_start: datetime.date, language: str) -> DashboardFigures | None:
    """The stored dashboard figures of `region`'s subtree for the period, in `language`: one query."""
    return DashboardFigures.objects.filter(
        region=region, period_kind=kind, period_start=period_start, language=language
    ).first()


def home_region(user) -> Region | None:
    """The region the dashboard opens on: the user's own, else the widest they see."""
    visible = Region.objects.visible_to(user)
    profile = user_profile(user)
    if profile is not None and profile.region_id:
        return visible.filter(pk=profile.region_id).first()
    return visible.filter(level__in=DASHBOARD_LEVELS).order_by("code").first()


def dashboard_regions(user, region: Region) -> list[Region]:
    """The regions the user may switch to: those above the chosen one that they still see (back
    up to their own), then the chosen one and those below it. `region` is one the user sees.

    One query when the user's own region is the chosen one (nothing wider to offer), two otherwise."""
    visible = Region.objects.visible_to(user)
    prefix = region.prefix
    below = visible.filter(code__startswith=prefix, level__in=DASHBOARD_LEVELS).order_by("code")
    if region.level not in DASHBOARD_LEVELS:
        below = visible.filter(pk=region.pk) | below
    if _sees_only_below(user, region):
        return list(below)
    wider = visible.filter(level__in=DASHBOARD_LEVELS).exclude(code__startswith=prefix).order_by("code")[:50]
    return list(wider) + list(below)


def _sees_only_below(user, region: Region) -> bool:
    """Whether every region `user` sees is in `region`'s subtree: the user sees regions by their own
    region's code prefix (the scoping's own rule for Region, which has no other way in) and looks
    at their own region."""
    profile = user_profile(user)
    return (
        not user.is_superuser
        and profile is not None
        and profile.region_id == region.code
        and _reads_by_region(user, Region.scope)
    )


def recent_reports(user, region: Region, limit: int = 20):
    return (
        StatisticsReport.objects.visible_to(user)
        .filter(office__region__code__startswith=region.prefix)
        .select_related("office")
        .order_by("-period_start", "office__region_id")[:limit]
    )


def recent_snapshots(user, region: Region, limit: int = 12):
    return (
        StatisticsSnapshot.objects.visible_to(user)
        .filter(region__code__startswith=region.prefix)
        .select_related("region")
        .order_by("-period_start", "region_id")[:limit]
    )


# --- the work queue (mobilization.workqueue) -----------------------------------------------------


@work_item(
    "statistics_reports_to_review",
    _("Statistics reports to review"),
    order=50,
    permission="reporting.change_statisticsreport",
    admin=("admin:reporting_statisticsreport_changelist", {"status__exact": ReportStatusChoices.SUBMITTED}),
    tone="due",
)
def statistics_reports_to_review(*, user, today):
    """Reports of the offices below the user's own, submitted and waiting for a decision."""
    profile = user_profile(user)
    reports = StatisticsReport.objects.visible_to(user).filter(status=ReportStatusChoices.SUBMITTED)
    return reports.exclude(office__region_id=profile.region_id) if profile else reports


@work_item(
    "statistics_reports_to_submit",
    _("Statistics reports to submit (drafts and returned)"),
    order=51,
    permission="reporting.change_statisticsreport",
    admin=(
        "admin:reporting_statisticsreport_changelist",
        {"status__in": f"{ReportStatusChoices.DRAFT},{ReportStatusChoices.RETURNED}"},
    ),
)
def statistics_reports_to_submit(*, user, today):
    """The user's own office's reports not yet submitted, or returned to it."""
    profile = user_profile(user)
    reports = StatisticsReport.objects.visible_to(user).filter(
        status__in=(ReportStatusChoices.DRAFT, ReportStatusChoices.RETURNED)
    )
    return reports.filter(office__region_id=profile.region_id) if profile else reports
