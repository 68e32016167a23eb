import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from members.services import qualifications_warn_expiring


class Command(BaseCommand):
    help = "Warn liaisons and office staff of qualifications expiring within 30 days (each warning once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="act as on this date (YYYY-MM-DD)")
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, today=None, days=30, **options):
        day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        sent = qualifications_warn_expiring(today=day, days=days)
        self.stdout.write(f"{sent} warnings sent for {day.isoformat()}")
