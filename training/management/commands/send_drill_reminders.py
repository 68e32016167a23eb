import datetime

from django.core.management.base import BaseCommand

from training.services import drill_reminders_send_due


class Command(BaseCommand):
    help = "Send the 9.18 alarm test reminders due on a day (each recipient gets each reminder once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="act as on this date (YYYY-MM-DD, Beijing time); default today")

    def handle(self, *args, today=None, **options):
        day = datetime.date.fromisoformat(today) if today else None
        sent = drill_reminders_send_due(today=day)
        for drill_id, lead, created in sent:
            self.stdout.write(f"drill {drill_id}: {lead}-day reminder, {created} new notifications")
        if not sent:
            self.stdout.write("no reminder due")
