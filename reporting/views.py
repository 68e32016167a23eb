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
from django.utils import timezone

from mobilization.dbrouter import replica_reads
from mobilization.models import Region

from . import selectors
from .choices import PeriodKindChoices, SnapshotKindChoices
from .periods import period_bounds
from .sections import compute_figures

__all__ = ["dashboard"]

PERMISSION = "reporting.view_statisticssnapshot"


def _headline(figures):
    """The big numbers above the charts: the headline figures the sections give with their tables."""
    return [item for s in figures["sections"] for item in s.get("headline", [])]


@replica_reads
@login_required(login_url="portal:login")
def dashboard(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    code = request.GET.get("region")
    if code:
        region = Region.objects.visible_to(request.user).filter(pk=code).first()
    else:
        region = selectors.home_region(request.user)
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
    context = {
        "figures": figures,
        "headline": _headline(figures),
        "region": region,
        "regions": selectors.dashboard_regions(request.user, region),
        "kind": kind,
        "kinds": PeriodKindChoices.choices,
        "snapshot_kinds": SnapshotKindChoices.values,
        "day": day,
        "start": start,
        "end": end,
        "reports": selectors.recent_reports(request.user, region),
        "snapshots": selectors.recent_snapshots(request.user, region),
        "can_generate": request.user.has_perm("reporting.add_statisticssnapshot"),
    }
    return render(request, "reporting/dashboard.html", context)
