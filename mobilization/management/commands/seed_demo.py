"""Load the demo: one city with the figures of the source documents and one user per role.

Each app with a `demo.py` adds its part through `seed(ctx)`, in dependency order; `ctx`
carries what earlier parts made. Every part finds its rows by natural keys, so running the
command twice changes nothing the second time."""

import random
from importlib import import_module, util
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

DEMO_APPS = ["mobilization", "teams", "members", "training", "inspections"]


class Command(BaseCommand):
    help = "Load the demo city (Zibo) and one demo user per role."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="Demo-2026!", help="password of every demo user")
        parser.add_argument("--scale", choices=["city", "province", "nation"], default="city")
        parser.add_argument("--today", help="act as on this date (YYYY-MM-DD)")
        parser.add_argument(
            "--otp-secret",
            help="base32 TOTP secret: every demo user of a role that needs two factors gets a device with it",
        )

    def handle(self, *args, password, scale, today=None, otp_secret=None, **options):
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
        if otp_secret:
            self._enrol(ctx.users.values(), otp_secret)
        if scale != "city":  # volume for the benchmarks: more cities (and provinces), by bulk inserts
            from mobilization.statistics.scale import seed as seed_scale

            seed_scale(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded ({scale}). Users: {', '.join(ctx.users)}; password: {password}")
        )

    def _enrol(self, users, secret):
        from django.core.exceptions import ValidationError

        from mobilization.accounts.services import otp_enrol_secret
        from mobilization.roles import requires_two_factor

        enrolled = []
        try:
            with transaction.atomic():
                for user in users:
                    if requires_two_factor(user):
                        otp_enrol_secret(user=user, secret=secret)
                        enrolled.append(user.username)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"  two factors: {', '.join(enrolled)} enrolled with the given TOTP secret")
