from django.core.management.base import BaseCommand

from inspections.services import rectifications_sweep_overdue
from mobilization.dates import add_today_argument, resolve_today


class Command(BaseCommand):
    help = "Mark rectification orders past their deadline overdue and escalate them one level up the region chain."

    def add_arguments(self, parser):
        add_today_argument(parser)

    def handle(self, *args, today=None, **options):
        result = rectifications_sweep_overdue(today=resolve_today(today))
        self.stdout.write(f"marked overdue: {result['marked_overdue']}, escalated: {result['escalated']}")
