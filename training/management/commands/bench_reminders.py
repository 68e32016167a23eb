"""Time the fan-out of one 9.18 reminder to N recipients (100,000 by default) against a floor
measured in the same run: a bare INSERT ... SELECT of the same number of notification rows.
Everything happens in one transaction that is rolled back: the database is left as it was.
Prints seconds and the ratio; asserts nothing (timings belong to the machine)."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from mobilization.choices import RegionLevelChoices, RoleChoices
from mobilization.models import Notification, Region, UserProfile
from training.models import AlarmTestDrill, default_drill_time
from training.services import drill_reminder_send

BENCH_REGION = "379900000000"  # not a real division: the benchmark's own city


class Command(BaseCommand):
    help = "Fan out a drill reminder to --recipients office staff (default 100000) and compare with a bare INSERT."

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, default=100_000)

    def handle(self, *args, recipients, **options):
        if connection.vendor != "postgresql":
            self.stderr.write(f"note: measured on {connection.vendor}; the figure that matters is PostgreSQL's")
        with transaction.atomic():
            figures = self.run(recipients)
            transaction.set_rollback(True)
        floor, fanout, rerun, created = figures
        self.stdout.write(
            f"recipients: {recipients} on {connection.vendor}\n"
            f"floor (bare INSERT ... SELECT of {recipients} rows): {floor:7.2f} s\n"
            f"reminder fan-out ({created} notifications):        {fanout:7.2f} s\n"
            f"rerun (nothing new, every row a conflict):          {rerun:7.2f} s\n"
            f"ratio: {fanout / floor if floor else float('inf'):.2f}x the floor"
        )

    def run(self, n):
        User = get_user_model()
        region = Region.objects.create(code=BENCH_REGION, name="基准测试市", level=RegionLevelChoices.CITY)
        started = time.perf_counter()
        users = User.objects.bulk_create(
            [User(username=f"bench-{i:06d}", password="!", email=f"bench-{i}@example.org") for i in range(n)],
            batch_size=5000,
        )
        UserProfile.objects.bulk_create(
            [UserProfile(user=u, role=RoleChoices.OFFICE_STAFF, region=region) for u in users], batch_size=5000
        )
        self.stderr.write(f"setup: {n} users with profiles in {time.perf_counter() - started:.1f} s")
        drill = AlarmTestDrill.objects.create(
            region=region, title="基准测试防空警报试鸣", scheduled_at=default_drill_time()
        )

        table = connection.ops.quote_name(Notification._meta.db_table)
        user_table = connection.ops.quote_name(User._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # As autovacuum would have by the time a real reminder goes out: without fresh
                # statistics the planner takes the new 100,000 rows for an empty table.
                profile_table = connection.ops.quote_name(UserProfile._meta.db_table)
                cursor.execute(f"ANALYZE {user_table}, {profile_table}, {table}")
            started = time.perf_counter()
            cursor.execute(
                f"INSERT INTO {table} (recipient_id, key, kind, title, body, url, send_email, send_sms, phone, phone_hash, created, updated) "
                f"SELECT id, 'bench-floor', 'bench', 't', '', '', false, false, '', '', %s, %s FROM {user_table} "
                f"WHERE username LIKE 'bench-%%'",
                [drill.created, drill.created],
            )
            floor = time.perf_counter() - started
        started = time.perf_counter()
        created = drill_reminder_send(drill=drill, lead_days=30)
        fanout = time.perf_counter() - started
        started = time.perf_counter()
        drill_reminder_send(drill=drill, lead_days=30)
        rerun = time.perf_counter() - started
        return floor, fanout, rerun, created
