from django.core.management.base import BaseCommand

from inspections.services import inspections_remind_due, inspections_sweep_overdue
from mobilization.dates import add_today_argument, resolve_today


class Command(BaseCommand):
    help = (
        "Remind inspectors of facilities due soon, and escalate facilities not inspected in their last cycle "
        "one level up the region chain."
    )

    def add_arguments(self, parser):
        add_today_argument(parser)

    def handle(self, *args, today=None, **options):
        today = resolve_today(today)
        reminded = inspections_remind_due(today=today)
        result = inspections_sweep_overdue(today=today)
        self.stdout.write(f"reminded: {reminded}, overdue: {result['overdue']}, escalated: {result['escalated']}")
