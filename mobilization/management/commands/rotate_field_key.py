"""Re-encrypt and re-hash every protected value under the current field key.

Set the new secret as FIELD_ENCRYPTION_KEY, raise FIELD_ENCRYPTION_KEY_VERSION, keep the old
secret in FIELD_ENCRYPTION_KEYRING and restart the web and worker processes; then run this.
It may be interrupted and run again: it picks up the rows still on an older version."""

import time

from django.core.management.base import BaseCommand

from mobilization import crypto
from mobilization.keyrotation import protected_models, rotate_field_key, rows_behind


class Command(BaseCommand):
    help = "Move every encrypted value and keyed hash to the current FIELD_ENCRYPTION_KEY_VERSION, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--check", action="store_true", help="only count the rows still on an older key")

    def handle(self, *args, batch_size, check, **options):
        version = crypto.current_version()
        if check:
            behind = {m._meta.label: rows_behind(m) for m in protected_models()}
            for label, count in behind.items():
                self.stdout.write(f"{label}: {count}")
            self.stdout.write(f"{sum(behind.values())} rows not yet on key version {version}")
            return
        started = time.perf_counter()
        reports = rotate_field_key(batch_size=batch_size)
        for report in reports:
            if report.rows:
                self.stdout.write(f"{report.model}: {report.rows} rows in {report.seconds:.1f} s")
        total = sum(r.rows for r in reports)
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} rows moved to key version {version} in {time.perf_counter() - started:.1f} s; "
                "older secrets may now leave FIELD_ENCRYPTION_KEYRING."
            )
        )
