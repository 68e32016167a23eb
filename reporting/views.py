"""The office dashboard at /dashboard/: the statistics sections of a region subtree and period
drawn as charts (vendored Chart.js), the reports of the cycle, the snapshots with "generate now".

Readable on a projector (large type) and a phone (one column). Scoped like everything else:
the region parameter must name a region the user sees (`Region.objects.visible_to`), else 404.

The figures are the stored ones of the region and period (`services.dashboard_figures`: kept
for `DASHBOARD_FIGURES_MAX_AGE` seconds, then refreshed by a queued task while the stored ones
are shown), so a province's page is a handful of queries whatever its size; the page says when
they were computed, and "refresh now" (a POST to /dashboard/refresh/) recomputes them at once.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from mobilization.dbrouter import replica_reads
from mobilization.models import Region

from . import selectors, services
from .choices import PeriodKindChoices, SnapshotKindChoices
from .periods import period_bounds

__all__ = ["dashboard", "dashboard_refresh"]

PERMISSION = "reporting.view_statisticssnapshot"


def _headline(figures):
    """The big numbers above the charts: the headline figures the sections give with their tables."""
    return [item for s in figures["sections"] for item in s.get("headline", [])]


def _choice(request, params):
    """The region (one the user sees, else 404), period kind and day the parameters name."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    code = params.get("region")
    if code:
        region = Region.objects.visible_to(request.user).filter(pk=code).first()
    else:
        region = selectors.home_region(request.user)
    if region is None:
        raise Http404
    kind = params.get("kind") or PeriodKindChoices.MONTHLY
    if kind not in PeriodKindChoices.values:
        kind = PeriodKindChoices.MONTHLY
    try:
        day = datetime.date.fromisoformat(params.get("date") or "")
    except ValueError:
        day = timezone.localdate()
    return region, kind, day


@replica_reads
@login_required(login_url="portal:login")
def dashboard(request):
    region, kind, day = _choice(request, request.GET)
    start, end = period_bounds(kind, day)
    figures, figures_at = services.dashboard_figures(region=region, kind=kind, period_start=start, period_end=end)
    context = {
        "figures": figures,
        "figures_at": figures_at,
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


@require_POST
@login_required(login_url="portal:login")
def dashboard_refresh(request):
    """ "Refresh now": recompute the figures of the region and period, then show the dashboard."""
    region, kind, day = _choice(request, request.POST)
    start, end = period_bounds(kind, day)
    services.dashboard_figures(region=region, kind=kind, period_start=start, period_end=end, refresh=True)
    query = urlencode({"region": region.code, "kind": kind, "date": day.isoformat()})
    return redirect(f"{reverse('dashboard:index')}?{query}")
