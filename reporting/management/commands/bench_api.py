"""Benchmark the API's list endpoints, the admin changelists and the dashboard on the data in the
database (load it with `seed_demo --scale province|nation`; meant for PostgreSQL).

It acts as each office level in turn (`--levels`): a superuser (the whole nation), the office of
the province, of a city in it and of a district in that city (`--region` picks the province; the
city and district are the first of each below it that have teams). For each list endpoint it
prints, per user, the median time over --repeat requests (through the whole stack: middleware,
scoping, filtering, pagination with its count, serialisation) of the first page, a deep page
(page 200, or the last page when there are fewer) and a page of 500, with the queries per request,
against a floor measured in the same run: the SQL the page cannot do without, sent through a bare
cursor — the endpoint's own scoped, filtered, ordered queryset cut to the page AND the COUNT of
the whole queryset that the pagination needs (none where the list gives an estimated count: its
rows are then printed as ~N). Then the admin changelists of persons, teams and
inspection reports (plain and searched with ?q=), the dashboard (from its stored figures) and its
"refresh now" (the figures computed live), and the time to compute and
store a snapshot of the user's region. It asserts nothing: timings belong to the machine; the
ratios are what to compare."""

import datetime
import math
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from reporting.benchmarks import LEVELS, level_users
from reporting.choices import SnapshotKindChoices
from reporting.periods import period_bounds
from reporting.services import snapshot_take

# The lists that grow with the nation; `--only` (or `--all`) measures others.
DEFAULT_ENDPOINTS = ("person", "team", "membership", "inspectionreport", "exercise", "attendance", "facility")
DEEP_PAGE = 200
ADMIN_PAGES = ("members/person", "teams/team", "inspections/inspectionreport")
SEARCH = "张"


def _list_names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _list_names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name and p.name.endswith("-list") and not p.pattern.regex.groupindex:
            yield p.name


def _median_ms(samples):
    return statistics.median(samples) * 1000


class Command(BaseCommand):
    help = (
        "Median time and queries per page (first, deep, 500) of the API's lists as a superuser and a province, "
        "city and district office, against a floor of the page's SQL and its COUNT; admin changelists; dashboard."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", help="the province (or any region) the office levels are taken under")
        parser.add_argument("--username", help="act as this existing user only instead of the office levels")
        parser.add_argument("--levels", nargs="*", choices=LEVELS, default=list(LEVELS))
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--page-size", type=int, default=50)
        parser.add_argument("--only", nargs="*", help="endpoint names as printed (e.g. team person)")
        parser.add_argument("--all", action="store_true", help="every list endpoint (default: the big ones)")
        parser.add_argument("--no-snapshot", action="store_true")
        parser.add_argument("--no-admin", action="store_true", help="skip the admin changelists and the dashboard")
        parser.add_argument(
            "--cpu",
            action="store_true",
            help="also give each page's median CPU time in this process (the Python side: view, "
            "serialising, rendering), which a machine busy with other work inflates far less than its wall time",
        )

    def handle(self, *args, region=None, username=None, levels, repeat, page_size, only=None, **options):
        from mobilization.urls import api_patterns

        self.repeat, self.page_size, self.cpu = repeat, page_size, options.get("cpu", False)
        names = sorted(set(_list_names(api_patterns)))
        if only:
            names = [n for n in names if n.removesuffix("-list") in only or n in only]
        elif not options["all"]:
            names = [n for n in names if n.removesuffix("-list") in DEFAULT_ENDPOINTS]
        users = [self.named_user(username)] if username else level_users(region, levels)
        for label, user in users:
            self.bench_user(label, user, names, options)

    def named_user(self, username):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"no user {username!r}") from exc
        return username, user

    def bench_user(self, label, user, names, options):
        client = APIClient(HTTP_HOST="localhost")  # a host in ALLOWED_HOSTS
        client.force_authenticate(user)
        self.stdout.write(
            f"\n{connection.vendor}; {label} (user {user.username}); median of {self.repeat} requests after one "
            f"warm-up; floor = the page's SQL + its COUNT through a bare cursor"
        )
        self.stdout.write(
            f"{'endpoint':26} {'page':>5} {'size':>4} {'rows':>9} {'page ms':>9} {'floor ms':>9} {'ratio':>6} "
            f"{'queries':>7}" + (f" {'cpu ms':>8}" if self.cpu else "")
        )
        self.bench_fixed_cost(user)
        for name in names:
            self.bench(client, name)
        if not options["no_admin"]:
            self.bench_pages(user)
        scope = getattr(getattr(user, "profile", None), "region", None)
        if not options["no_snapshot"] and scope is not None and not user.is_superuser:
            self.bench_snapshot(scope, user)

    def bench_fixed_cost(self, user):
        """The fixed cost of one authenticated API request: a real token (`Authorization: Token`)
        through every middleware and the token, profile and permission look-ups, on the cheapest
        list (a page of one region)."""
        from mobilization.accounts.services import token_issue

        key, token = token_issue(user=user)
        client = APIClient(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {key}")
        url = f"{reverse('api:region-list')}?page_size=1"
        try:
            client.get(url)  # warm-up
            timings, queries = [], 0
            for _ in range(self.repeat * 3):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - started)
                queries = len(captured.captured_queries)
            self.stdout.write(
                f"{'fixed cost (token request)':26} {'':>5} {'':>4} {response.status_code:>9} "
                f"{_median_ms(timings):9.1f} {'':>9} {'':>6} {queries:7d}"
            )
        finally:
            token.delete()

    def bench(self, client, name):
        base = reverse(f"api:{name}")
        response = client.get(f"{base}?page_size={self.page_size}")  # warm-up; also gives the view
        short = name.removesuffix("-list")
        if response.status_code != 200:
            self.stdout.write(f"{short:26} HTTP {response.status_code} (not for this user)")
            return
        total = response.data.get("count", 0) if isinstance(response.data, dict) else len(response.data)
        last = max(1, math.ceil(total / self.page_size))
        cases = [(1, self.page_size), (min(DEEP_PAGE, last), self.page_size), (1, 500)]
        if last == 1:
            cases = [cases[0], cases[2]]
        for page, size in cases:
            self.bench_case(client, short, base, page, size, total)

    def bench_case(self, client, short, base, page, size, total):
        url = f"{base}?page_size={size}&page={page}"
        response = client.get(url)  # warm-up
        if response.status_code != 200:
            self.stdout.write(f"{short:26} {page:>5} {size:>4} HTTP {response.status_code}")
            return
        view = response.renderer_context["view"]
        queryset = view.filter_queryset(view.get_queryset())
        offset = (page - 1) * size
        page_sql = queryset[offset : offset + size].query.sql_with_params()
        count_sql, count_params = queryset.order_by().values("pk").query.sql_with_params()
        floor_sql = [page_sql, (f"SELECT COUNT(*) FROM ({count_sql}) counted", count_params)]
        estimated = response.headers.get("X-Count-Estimated") == "true"
        if estimated:
            floor_sql = floor_sql[:1]  # the page gives the planner's estimate: it needs no COUNT
        timings, cpu, queries = [], [], 0
        for _ in range(self.repeat):
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            queries = len(captured.captured_queries)
        floors = []
        for _ in range(self.repeat):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for sql, params in floor_sql:
                    cursor.execute(sql, params)
                    cursor.fetchall()
            floors.append(time.perf_counter() - started)
        page_ms, floor_ms = _median_ms(timings), _median_ms(floors)
        ratio = page_ms / floor_ms if floor_ms else float("inf")
        rows = f"~{total}" if estimated else total
        self.stdout.write(
            f"{short:26} {page:>5} {size:>4} {rows:>9} {page_ms:9.1f} {floor_ms:9.2f} {ratio:5.1f}x {queries:7d}"
            + (f" {_median_ms(cpu):8.1f}" if self.cpu else "")
        )

    def bench_pages(self, user):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        urls = [f"/admin/{page}/{query}" for page in ADMIN_PAGES for query in ("", f"?q={SEARCH}")]
        urls.append(reverse("dashboard:index"))
        for url in urls:
            if client.get(url).status_code != 200:  # warm-up
                self.stdout.write(f"page {url:40} not for this user")
                continue
            timings, queries = [], 0
            for _ in range(self.repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    client.get(url)
                    timings.append(time.perf_counter() - started)
                queries = len(captured.captured_queries)
            self.stdout.write(f"page {url:40} {_median_ms(timings):9.1f} ms {queries:4d} queries")
        self.bench_dashboard_refresh(client)

    def bench_dashboard_refresh(self, client):
        """The dashboard's "refresh now": its figures computed live and stored (the dashboard itself
        above reads the stored ones), as the first view of a region and period costs."""
        url = reverse("dashboard:refresh")
        timings, queries = [], 0
        for _ in range(self.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(url)
                timings.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
        if response.status_code == 302:
            self.stdout.write(f"post {url:40} {_median_ms(timings):9.1f} ms {queries:4d} queries (live figures)")

    def bench_snapshot(self, region, user):
        today = timezone.localdate()
        start, _end = period_bounds(SnapshotKindChoices.MONTHLY, today.replace(day=1) - datetime.timedelta(days=1))
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            snapshot, _created = snapshot_take(
                region=region, kind=SnapshotKindChoices.MONTHLY, period_start=start, by=user, replace=True
            )
        elapsed = time.perf_counter() - started
        sections = len(snapshot.figures.get("sections", []))
        self.stdout.write(
            f"snapshot {region.name} ({region.code}) monthly {start:%Y-%m}: {elapsed * 1000:.0f} ms, "
            f"{len(captured.captured_queries)} queries, {sections} sections, workbook {snapshot.workbook.size} bytes"
        )
