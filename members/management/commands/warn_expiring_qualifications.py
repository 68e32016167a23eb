from django.core.management.base import BaseCommand

from members.services import qualifications_warn_expiring
from mobilization.dates import add_today_argument, resolve_today


class Command(BaseCommand):
    help = "Warn liaisons and office staff of qualifications expiring within 30 days (each warning once)."

    def add_arguments(self, parser):
        add_today_argument(parser)
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, today=None, days=30, **options):
        day = resolve_today(today)
        sent = qualifications_warn_expiring(today=day, days=days)
        self.stdout.write(f"{sent} warnings sent for {day.isoformat()}")
