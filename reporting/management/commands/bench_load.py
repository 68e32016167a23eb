"""Benchmark many users at once: concurrent clients against gunicorn, as an office would load it.

It starts gunicorn on a free loopback port with `--workers` processes (the README's figure for a
2-core machine by default) on the database in the settings, and acts as one office level
(`--level`, the users of `bench_api`). Each client loops over the office's everyday mix — the
first page of persons, of teams and of inspection reports, one team's page, the dashboard —
through a real token (API) or a real session (dashboard), waiting `--think` seconds between its
requests (0: as fast as it can, which saturates the machine).

The floor is the same mix sent by ONE client with no wait, in the same run: what each request
costs when nothing else runs. Under load a request waits for a worker and for a core, so the
loaded median over the floor says how much queueing the clients add. It prints requests per
second, the median and 90th percentile per kind and overall, and errors; it asserts nothing.
Meant for PostgreSQL with the data of `seed_demo --scale province|nation`."""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from mobilization.accounts.services import token_issue
from reporting.benchmarks import LEVELS, level_users
from teams.models import Team

# The README's recommendation for a 2-core machine that also runs PostgreSQL (see "Scaling out").
DEFAULT_WORKERS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


class Command(BaseCommand):
    help = (
        "Concurrent clients against gunicorn as one office level: requests per second, median and p90 per kind "
        "against a one-client floor measured in the same run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--level", choices=LEVELS, default="province")
        parser.add_argument("--region", help="the province the office levels are taken under (default Shandong)")
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument("--seconds", type=float, default=30.0, help="how long the loaded run lasts")
        parser.add_argument("--think", type=float, default=0.0, help="seconds a client waits between requests")
        parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn worker processes")

    def handle(self, *args, level, region, clients, seconds, think, workers, **options):
        [(label, user)] = level_users(region, [level])
        key, token = token_issue(user=user)
        browser = Client(HTTP_HOST="localhost")
        browser.force_login(user)
        session = browser.cookies[settings.SESSION_COOKIE_NAME].value
        team = Team.objects.visible_to(user).order_by("pk").values_list("pk", flat=True).first()
        mix = [
            ("persons", "/api/v1/persons/", {"Authorization": f"Token {key}"}),
            ("teams", "/api/v1/teams/", {"Authorization": f"Token {key}"}),
            ("inspection reports", "/api/v1/inspection-reports/", {"Authorization": f"Token {key}"}),
            ("dashboard", "/dashboard/", {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}),
        ]
        if team is not None:
            mix.insert(2, ("team page", f"/api/v1/teams/{team}/", {"Authorization": f"Token {key}"}))
        port = _free_port()
        server = self.start_gunicorn(port, workers)
        try:
            for _name, path, headers in mix:  # warm-up: every worker's first request of each kind
                for _ in range(workers):
                    self.request(port, path, headers)
            floor = self.run(port, mix, clients=1, seconds=max(5.0, seconds / 3), think=0.0)
            loaded = self.run(port, mix, clients=clients, seconds=seconds, think=think)
        finally:
            server.terminate()
            server.wait(timeout=30)
            token.delete()
        self.report(label, workers, clients, think, mix, floor, loaded)

    def start_gunicorn(self, port, workers):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        env = {**os.environ, "ALLOWED_HOSTS": "localhost,127.0.0.1"}
        server = subprocess.Popen(
            [str(gunicorn), "mobilization.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--timeout", "120"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(300):
            try:
                if self.request(port, "/healthz", {})[0] in (200, 503):
                    return server
            except OSError:
                pass
            if server.poll() is not None:
                raise CommandError(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
        server.terminate()
        raise CommandError("gunicorn did not answer /healthz within 30 s")

    @staticmethod
    def request(port, path, headers):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            started = time.perf_counter()
            connection.request("GET", path, headers={"Host": "localhost", **headers})
            response = connection.getresponse()
            response.read()
            return response.status, time.perf_counter() - started
        finally:
            connection.close()

    def run(self, port, mix, *, clients, seconds, think):
        """Each client goes round the mix from its own starting point until the time is up."""
        samples = {name: [] for name, _path, _headers in mix}
        errors = []
        deadline = time.perf_counter() + seconds
        lock = threading.Lock()

        def client(offset):
            step = offset
            while time.perf_counter() < deadline:
                name, path, headers = mix[step % len(mix)]
                step += 1
                try:
                    status, elapsed = self.request(port, path, headers)
                except OSError as exc:
                    status, elapsed = repr(exc), 0.0
                with lock:
                    if status == 200:
                        samples[name].append(elapsed)
                    else:
                        errors.append(f"{path}: {status}")
                if think:
                    time.sleep(think)

        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {"samples": samples, "errors": errors, "elapsed": time.perf_counter() - started}

    def report(self, label, workers, clients, think, mix, floor, loaded):
        self.stdout.write(
            f"\n{label}: gunicorn -w {workers}, {clients} clients, think {think:g} s, "
            f"{loaded['elapsed']:.0f} s; floor = the same mix from one client in the same run"
        )
        self.stdout.write(f"{'request':20} {'floor ms':>9} {'median ms':>10} {'p90 ms':>8} {'ratio':>6} {'count':>6}")
        for name, _path, _headers in mix:
            base, got = floor["samples"][name], loaded["samples"][name]
            if not base or not got:
                self.stdout.write(f"{name:20} no answer")
                continue
            floor_ms, median_ms = statistics.median(base) * 1000, statistics.median(got) * 1000
            self.stdout.write(
                f"{name:20} {floor_ms:9.1f} {median_ms:10.1f} {_percentile(got, 0.9) * 1000:8.1f} "
                f"{median_ms / floor_ms:5.1f}x {len(got):6d}"
            )
        every = [s for samples in loaded["samples"].values() for s in samples]
        if not every:
            raise CommandError(f"no request answered: {loaded['errors'][:5]}")
        self.stdout.write(
            f"{'all':20} {'':>9} {statistics.median(every) * 1000:10.1f} {_percentile(every, 0.9) * 1000:8.1f} "
            f"{'':>6} {len(every):6d}"
        )
        self.stdout.write(
            f"{len(every) / loaded['elapsed']:.1f} requests/s; {len(loaded['errors'])} errors"
            + (f" (first: {loaded['errors'][0]})" if loaded["errors"] else "")
        )
