"""Reads of situation statistics: the figures of a region and period as reports and snapshots
store them, and the reports and snapshots the dashboard lists."""

import datetime

from django.conf import settings
from django.utils import translation

from mobilization.choices import RegionLevelChoices
from mobilization.models import Region
from mobilization.querysets import user_profile

from .models import StatisticsReport, StatisticsSnapshot
from .sections import compute_figures

__all__ = [
    "DASHBOARD_LEVELS",
    "dashboard_regions",
    "home_region",
    "recent_reports",
    "recent_snapshots",
    "statistics_figures",
]

# The levels the dashboard offers to choose from.
DASHBOARD_LEVELS = (RegionLevelChoices.PROVINCE, RegionLevelChoices.CITY, RegionLevelChoices.COUNTY)


def statistics_figures(region: Region, period_start: datetime.date, period_end: datetime.date, progress=None) -> dict:
    """The figures as reports and snapshots store them: in the office's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return compute_figures(region, period_start, period_end, progress=progress)


def home_region(user) -> Region | None:
    """The region the dashboard opens on: the user's own, else the widest they see."""
    visible = Region.objects.visible_to(user)
    profile = user_profile(user)
    if profile is not None and profile.region_id:
        return visible.filter(pk=profile.region_id).first()
    return visible.filter(level__in=DASHBOARD_LEVELS).order_by("code").first()


def dashboard_regions(user, region: Region) -> list[Region]:
    """The regions the user may switch to: those above the chosen one that they still see (back
    up to their own), then the chosen one and those below it."""
    visible = Region.objects.visible_to(user)
    prefix = region.prefix
    below = visible.filter(code__startswith=prefix, level__in=DASHBOARD_LEVELS).order_by("code")
    if not below.filter(pk=region.pk).exists():
        below = visible.filter(pk=region.pk) | below
    wider = visible.filter(level__in=DASHBOARD_LEVELS).exclude(code__startswith=prefix).order_by("code")[:50]
    return list(wider) + list(below)


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
