import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from inspections.services import rectifications_sweep_overdue


class Command(BaseCommand):
    help = "Mark rectification orders past their deadline overdue and escalate them one level up the region chain."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="act as on this date (YYYY-MM-DD)")

    def handle(self, *args, today=None, **options):
        if isinstance(today, str):  # call_command passes options through unparsed
            today = datetime.date.fromisoformat(today)
        result = rectifications_sweep_overdue(today=today or timezone.localdate())
        self.stdout.write(f"marked overdue: {result['marked_overdue']}, escalated: {result['escalated']}")
