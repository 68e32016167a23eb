"""The office dashboard at /dashboard/: the statistics sections of a region subtree and period
drawn as charts (vendored Chart.js), the reports of the cycle, the snapshots with "generate now".

Readable on a projector (large type) and a phone (one column). Scoped like everything else:
the region parameter must name a region the user sees (`Region.objects.visible_to`), else 404.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from .choices import RegionLevelChoices
from .models import Region, StatisticsReport, StatisticsSnapshot
from .querysets import user_profile
from .statistics.choices import PeriodKindChoices, SnapshotKindChoices
from .statistics.sections import compute_figures
from .statistics.services import period_bounds

__all__ = ["urlpatterns"]

app_name = "dashboard"
PERMISSION = "mobilization.view_statisticssnapshot"
REGION_LEVELS = (RegionLevelChoices.PROVINCE, RegionLevelChoices.CITY, RegionLevelChoices.COUNTY)


def _home_region(user, visible):
    profile = user_profile(user)
    if profile is not None and profile.region_id:
        return visible.filter(pk=profile.region_id).first()
    return visible.filter(level__in=REGION_LEVELS).order_by("code").first()


def _headline(figures):
    """The big numbers above the charts: the headline figures the sections give with their tables."""
    return [item for s in figures["sections"] if s["available"] for item in s.get("headline", [])]


@login_required(login_url="portal:login")
def dashboard(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    visible = Region.objects.visible_to(request.user)
    code = request.GET.get("region")
    region = visible.filter(pk=code).first() if code else _home_region(request.user, visible)
    if region is None:
        raise Http404
    kind = request.GET.get("kind") or PeriodKindChoices.MONTHLY
    if kind not in PeriodKindChoices.values:
        kind = PeriodKindChoices.MONTHLY
    try:
        day = datetime.date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        day = timezone.localdate()
    start, end = period_bounds(kind, day)
    figures = compute_figures(region, start, end)
    prefix = region.prefix
    regions = visible.filter(code__startswith=prefix, level__in=REGION_LEVELS).order_by("code")
    if not regions.filter(pk=region.pk).exists():
        regions = visible.filter(pk=region.pk) | regions
    # The regions above the chosen one that the user may still choose (back up to their own).
    wider = visible.filter(level__in=REGION_LEVELS).exclude(code__startswith=prefix).order_by("code")[:50]
    reports = (
        StatisticsReport.objects.visible_to(request.user)
        .filter(office__region__code__startswith=prefix)
        .select_related("office")
        .order_by("-period_start", "office__region_id")[:20]
    )
    snapshots = (
        StatisticsSnapshot.objects.visible_to(request.user)
        .filter(region__code__startswith=prefix)
        .select_related("region")
        .order_by("-period_start", "region_id")[:12]
    )
    context = {
        "figures": figures,
        "headline": _headline(figures),
        "region": region,
        "regions": list(wider) + list(regions),
        "kind": kind,
        "kinds": PeriodKindChoices.choices,
        "snapshot_kinds": SnapshotKindChoices.values,
        "day": day,
        "start": start,
        "end": end,
        "reports": reports,
        "snapshots": snapshots,
        "can_generate": request.user.has_perm("mobilization.add_statisticssnapshot"),
    }
    return render(request, "dashboard/index.html", context)


urlpatterns = [path("", dashboard, name="index")]
