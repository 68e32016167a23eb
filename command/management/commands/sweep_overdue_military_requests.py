from django.core.management.base import BaseCommand

from command.services import military_requests_sweep_overdue
from mobilization.dates import add_today_argument, resolve_today


class Command(BaseCommand):
    help = "Escalate the open stages of military requests past their deadline one level up the region chain."

    def add_arguments(self, parser):
        add_today_argument(parser)

    def handle(self, *args, today=None, **options):
        result = military_requests_sweep_overdue(today=resolve_today(today))
        self.stdout.write(f"escalated: {result['escalated']}")
