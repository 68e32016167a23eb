"""Load the demo: one city with the figures of the source documents and one user per role.

Each installed app with a `demo.py` adds its part through `seed(ctx)`, in the order of
INSTALLED_APPS (dependency order); `ctx` carries what earlier parts made. With `--scale`, an
app's `seed_scale(ctx)` then adds the benchmark volume. Every part finds its rows by natural
keys, so running the command twice changes nothing the second time."""

import random
from importlib import import_module, util
from types import SimpleNamespace

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mobilization.apps import project_app_configs
from mobilization.dates import add_today_argument, resolve_today
from mobilization.scale import seed as seed_scale


def demo_modules():
    """The `demo` module of every project app that has one, in INSTALLED_APPS order."""
    for app_config in project_app_configs():
        if util.find_spec(f"{app_config.name}.demo") is not None:
            yield import_module(f"{app_config.name}.demo")


class Command(BaseCommand):
    help = "Load the demo city (Zibo) and one demo user per role."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="Demo-2026!", help="password of every demo user")
        parser.add_argument("--scale", choices=["city", "province", "nation"], default="city")
        add_today_argument(parser)
        parser.add_argument(
            "--otp-secret",
            help="base32 TOTP secret: every demo user of a role that needs two factors gets a device with it",
        )

    def handle(self, *args, password, scale, today=None, otp_secret=None, **options):
        try:
            # The demo users are real accounts: their password passes the same rules as anyone's.
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("--password: " + " ".join(exc.messages)) from exc
        ctx = SimpleNamespace(
            password=password,
            scale=scale,
            today=resolve_today(today),
            rng=random.Random(2026),
            stdout=self.stdout,
        )
        modules = list(demo_modules())
        for module in modules:
            with transaction.atomic():
                module.seed(ctx)
        if otp_secret:
            self._enrol(ctx.users.values(), otp_secret)
        # A second pass for the parts that need every app's rows (a call-out needs the people).
        for module in modules:
            if hasattr(module, "seed_late"):
                with transaction.atomic():
                    module.seed_late(ctx)
        if scale != "city":  # volume for the benchmarks: more cities (and provinces), by bulk inserts
            seed_scale(ctx)  # a transaction per city
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
