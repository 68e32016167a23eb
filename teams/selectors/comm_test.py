"""The communication test's figures: of the people a test call reached, how many answered within
the target window, and how fast (median), per member unit, team and team type and in total,
against the target (CALLOUT_TEST_TARGET). One query reads the calls; the figures are formed in
Python because a median is not an aggregate every database has."""

from __future__ import annotations

import statistics as stats_lib  # the standard library's; our own modules never take its name
from typing import TYPE_CHECKING

from django.conf import settings

from ..models import PersonCall

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ..models import Activation

__all__ = ["GROUPS", "callout_test_figures", "response_rate"]

GROUPS = {
    "unit": ("team__unit_id", "team__unit__name"),
    "team": ("team_id", "team__name"),
    "team_type": ("team__team_type_id", "team__team_type__name"),
}


def response_rate(within: int, called: int) -> float | None:
    """Per cent answered within the window, one decimal; None when nobody was called."""
    return round(within * 100 / called, 1) if called else None


def _figures(rows, window_seconds, target_rate):
    called = len(rows)
    times = sorted(seconds for seconds in rows if seconds is not None)
    within = sum(1 for s in times if s <= window_seconds)
    rate = response_rate(within, called)
    median = round(stats_lib.median(times) / 60, 1) if times else None
    return {
        "called": called,
        "answered": len(times),
        "answered_within": within,
        "rate": rate,
        "median_minutes": median,
        "met": rate is not None and rate >= target_rate,
    }


def callout_test_figures(*, activations: QuerySet[Activation], target: dict | None = None) -> dict:
    """Figures of the test calls `activations`: {"target", "total", "unit": [...], "team": [...],
    "team_type": [...]}; each row has called, answered, answered_within, rate, median_minutes, met."""
    target = target or settings.CALLOUT_TEST_TARGET
    window = target["minutes"] * 60
    fields = [f for pair in GROUPS.values() for f in pair]
    groups: dict[str, dict] = {name: {} for name in GROUPS}
    everyone = []
    for row in PersonCall.objects.filter(activation__in=activations).values(
        *fields, "notified_at", "first_answered_at"
    ):
        first = row["first_answered_at"]
        seconds = (first - row["notified_at"]).total_seconds() if first else None
        everyone.append(seconds)
        for name, (key, label) in GROUPS.items():
            groups[name].setdefault((row[key], row[label]), []).append(seconds)
    result = {"target": dict(target), "total": _figures(everyone, window, target["rate"])}
    for name, by_key in groups.items():
        result[name] = [
            {"id": key, "name": label, **_figures(rows, window, target["rate"])}
            for (key, label), rows in sorted(by_key.items(), key=lambda item: item[0][1] or "")
        ]
    return result
