"""Load the demo: one city with the figures of the source documents and one user per role.

Each app with a `demo.py` adds its part through `seed(ctx)`, in dependency order; `ctx`
carries what earlier parts made. Every part finds its rows by natural keys, so running the
command twice changes nothing the second time."""

import random
from importlib import import_module, util
from types import SimpleNamespace

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

DEMO_APPS = ["mobilization", "teams", "members", "training", "inspections"]


class Command(BaseCommand):
    help = "Load the demo city (Zibo) and one demo user per role."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="Demo-2026!", help="password of every demo user")
        parser.add_argument("--scale", choices=["city", "province", "nation"], default="city")
        parser.add_argument("--today", help="act as on this date (YYYY-MM-DD)")

    def handle(self, *args, password, scale, today=None, **options):
        ctx = SimpleNamespace(
            password=password,
            scale=scale,
            today=timezone.datetime.fromisoformat(today).date() if today else timezone.localdate(),
            rng=random.Random(2026),
            stdout=self.stdout,
        )
        for label in DEMO_APPS:
            if util.find_spec(f"{label}.demo") is None:
                continue
            with transaction.atomic():
                import_module(f"{label}.demo").seed(ctx)
        # A second pass for the parts that need every app's rows (a call-out needs the people).
        for label in DEMO_APPS:
            late = util.find_spec(f"{label}.demo") and getattr(import_module(f"{label}.demo"), "seed_late", None)
            if late:
                with transaction.atomic():
                    late(ctx)
        if scale != "city":  # volume for the benchmarks: more cities (and provinces), by bulk inserts
            from mobilization.statistics.scale import seed as seed_scale

            seed_scale(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded ({scale}). Users: {', '.join(ctx.users)}; password: {password}")
        )
