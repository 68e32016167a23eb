from django.core.management.base import BaseCommand

from inspections.services import follow_ups_remind_due, follow_ups_sweep_overdue
from mobilization.dates import add_today_argument, resolve_today


class Command(BaseCommand):
    help = (
        "Remind units of evaluation follow-ups due soon, and escalate those past their deadline one level "
        "(the unit, then the district/county office, then the city office)."
    )

    def add_arguments(self, parser):
        add_today_argument(parser)

    def handle(self, *args, today=None, **options):
        today = resolve_today(today)
        reminded = follow_ups_remind_due(today=today)
        result = follow_ups_sweep_overdue(today=today)
        self.stdout.write(f"reminded: {reminded}, overdue: {result['overdue']}, escalated: {result['escalated']}")
