import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from inspections.services import media_purge_orphans


class Command(BaseCommand):
    help = "Delete stored inspection photos and videos that no row names (left by a rolled-back upload)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="act as on this date (YYYY-MM-DD)")

    def handle(self, *args, today=None, **options):
        if isinstance(today, str):  # call_command passes options through unparsed
            today = datetime.date.fromisoformat(today)
        now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12))) if today else timezone.now()
        self.stdout.write(f"removed: {media_purge_orphans(now=now)}")
