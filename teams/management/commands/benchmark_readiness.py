"""Measure live readiness over every team in the database against a floor measured in the same
run: the same teams loaded with their related rows but without readiness. Prints seconds,
queries and the ratio; asserts nothing (timings belong to the machine, not to the test suite)."""

import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from teams.models import Team


class Command(BaseCommand):
    help = "Time Team.objects.with_readiness() over all teams against a plain load of the same teams."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)

    def measure(self, build, repeat):
        best, queries = None, 0
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                rows = build()
                elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
            queries = len(ctx.captured_queries)
        return best, queries, len(rows)

    def handle(self, *args, repeat, **options):
        base = Team.objects.select_related("team_type", "unit", "region")
        # .all() each time: a QuerySet caches its rows, and a second list() of it queries nothing.
        floor, floor_queries, n = self.measure(lambda: list(base.all()), repeat)

        def with_readiness():
            teams = list(base.with_readiness())
            for team in teams:
                team.readiness.reasons  # noqa: B018  (the reasons are built at fetch time)
            return teams

        timed, queries, _ = self.measure(with_readiness, repeat)
        not_ready = base.with_readiness().ready(False).count()
        self.stdout.write(
            f"teams: {n} ({not_ready} not ready) on {connection.vendor}\n"
            f"floor (plain load):  {floor * 1000:8.1f} ms, {floor_queries} queries\n"
            f"with readiness:      {timed * 1000:8.1f} ms, {queries} queries\n"
            f"ratio: {timed / floor if floor else float('inf'):.1f}x the floor (best of {repeat})"
        )
