"""Take the scheduled statistics snapshots and send the report reminders, as the beat would on --today.

Without --kind it takes the snapshots whose period ended the day before --today (the monthly
on the 1st of a month, the quarterly on the 1st of a quarter, the yearly on 1 January); with
--kind it takes that kind's most recent finished period whatever the date. Safe to run twice:
an existing snapshot is kept."""

from django.core.management.base import BaseCommand

from mobilization.dates import add_today_argument, resolve_today
from reporting.choices import SnapshotKindChoices
from reporting.periods import snapshot_kinds_due
from reporting.services import snapshots_scheduled, statistics_report_reminders


class Command(BaseCommand):
    help = "Take the due statistics snapshots and remind offices of reports waiting too long."

    def add_arguments(self, parser):
        add_today_argument(parser)
        parser.add_argument("--kind", action="append", choices=SnapshotKindChoices.values, help="force this kind")
        parser.add_argument("--no-reminders", action="store_true", help="only take snapshots")

    def handle(self, *args, today=None, kind=None, no_reminders=False, **options):
        today = resolve_today(today)
        for k in kind or snapshot_kinds_due(today):
            made = snapshots_scheduled(kind=k, today=today)
            created = sum(1 for _s, c in made if c)
            self.stdout.write(f"{k}: {len(made)} snapshot(s), {created} new")
        if not no_reminders:
            self.stdout.write(f"reminders: {statistics_report_reminders(today=today)} notification(s)")
