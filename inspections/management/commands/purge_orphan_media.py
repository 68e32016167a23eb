import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from inspections.services import media_purge_orphans
from mobilization.dates import add_today_argument, resolve_today


class Command(BaseCommand):
    help = "Delete stored inspection photos and videos that no row names (left by a rolled-back upload)."

    def add_arguments(self, parser):
        add_today_argument(parser, "act as at noon on this date (YYYY-MM-DD); default now")

    def handle(self, *args, today=None, **options):
        noon = datetime.time(12)
        now = timezone.make_aware(datetime.datetime.combine(resolve_today(today), noon)) if today else timezone.now()
        self.stdout.write(f"removed: {media_purge_orphans(now=now)}")
