"""Benchmark the API's list endpoints and the statistics snapshot on the data in the database
(load it with `seed_demo --scale province|nation`; meant for PostgreSQL).

For each list endpoint it prints the median time of one page over --repeat requests (through
the whole stack: middleware, scoping, filtering, pagination with its count, serialisation) and
the queries per request, against a floor measured in the same run: ONE raw SQL query fetching
the same page (the endpoint's own scoped, filtered, ordered queryset, sliced to the page, sent
through a bare cursor). Then the time to compute and store a snapshot of the user's region.
It asserts nothing: timings belong to the machine; the ratios are what to compare."""

import datetime
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mobilization.choices import RoleChoices
from mobilization.models import Region
from mobilization.services import user_assign_role
from reporting.periods import period_bounds
from reporting.services import snapshot_take

BENCH_USER = "bench_office"


def _list_names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _list_names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name and p.name.endswith("-list") and not p.pattern.regex.groupindex:
            yield p.name


def _median_ms(samples):
    return statistics.median(samples) * 1000


class Command(BaseCommand):
    help = "Median time and queries per page of every API list endpoint against a one-query floor; snapshot time."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="region whose office staff the benchmark acts as (default: the province)")
        parser.add_argument("--username", help="act as this existing user instead of the benchmark office user")
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--page-size", type=int, default=50)
        parser.add_argument(
            "--only", nargs="*", help="endpoint names as printed (e.g. team person); default: every list"
        )
        parser.add_argument("--no-snapshot", action="store_true")

    def handle(self, *args, region=None, username=None, repeat, page_size, only=None, no_snapshot=False, **options):
        from mobilization.urls import api_patterns

        user = self.user(username, region)
        client = APIClient(HTTP_HOST="localhost")  # a host in ALLOWED_HOSTS
        client.force_authenticate(user)
        names = sorted(set(_list_names(api_patterns)))
        if only:
            names = [n for n in names if n.removesuffix("-list") in only or n in only]
        scope = getattr(getattr(user, "profile", None), "region", None)
        self.stdout.write(
            f"{connection.vendor}; user {user.username} ({scope or 'superuser'}); page size {page_size}; "
            f"median of {repeat} requests after one warm-up"
        )
        self.stdout.write(f"{'endpoint':34} {'rows':>9} {'page ms':>9} {'floor ms':>9} {'ratio':>7} {'queries':>8}")
        for name in names:
            self.bench(client, name, page_size, repeat)
        if not no_snapshot and scope is not None:
            self.bench_snapshot(scope, user)

    def user(self, username, region):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username)
            except User.DoesNotExist as exc:
                raise CommandError(f"no user {username!r}") from exc
        provinces = Region.objects.filter(level="province").order_by("code")
        # The demo's province (Shandong) first: at nation scale other provinces sort before it.
        region = Region.objects.filter(pk=region or "370000000000").first() or (None if region else provinces.first())
        if region is None:
            raise CommandError("no region: load the demo first (seed_demo --scale province)")
        return user_assign_role(username=BENCH_USER, role=RoleChoices.OFFICE_STAFF, region=region)

    def bench(self, client, name, page_size, repeat):
        url = f"{reverse(f'api:{name}')}?page_size={page_size}"
        response = client.get(url)  # warm-up; also gives the view to derive the floor from
        if response.status_code != 200:
            self.stdout.write(f"{name.removesuffix('-list'):34} HTTP {response.status_code} (not for this user)")
            return
        view = response.renderer_context["view"]
        page = view.filter_queryset(view.get_queryset())[:page_size]
        sql, params = page.query.sql_with_params()
        total = response.data.get("count", "") if isinstance(response.data, dict) else len(response.data)

        timings, queries = [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(url)
                timings.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
        floors = []
        for _ in range(repeat):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
            floors.append(time.perf_counter() - started)
        page_ms, floor_ms = _median_ms(timings), _median_ms(floors)
        ratio = page_ms / floor_ms if floor_ms else float("inf")
        self.stdout.write(
            f"{name.removesuffix('-list'):34} {total:>9} {page_ms:9.1f} {floor_ms:9.2f} {ratio:6.0f}x {queries:8d}"
        )

    def bench_snapshot(self, region, user):
        today = timezone.localdate()
        start, _end = period_bounds("monthly", today.replace(day=1) - datetime.timedelta(days=1))
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            snapshot, _created = snapshot_take(region=region, kind="monthly", period_start=start, by=user, replace=True)
        elapsed = time.perf_counter() - started
        sections = len(snapshot.figures.get("sections", []))
        self.stdout.write(
            f"snapshot {region.name} ({region.code}) monthly {start:%Y-%m}: {elapsed * 1000:.0f} ms, "
            f"{len(captured.captured_queries)} queries, {sections} sections, workbook {snapshot.workbook.size} bytes"
        )
