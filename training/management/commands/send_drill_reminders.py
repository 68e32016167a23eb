from django.core.management.base import BaseCommand

from mobilization.dates import add_today_argument, resolve_today
from training.services import drill_reminders_send_due


class Command(BaseCommand):
    help = "Send the 9.18 alarm test reminders due on a day (each recipient gets each reminder once)."

    def add_arguments(self, parser):
        add_today_argument(parser)

    def handle(self, *args, today=None, **options):
        sent = drill_reminders_send_due(today=resolve_today(today))
        for drill_id, lead, created in sent:
            self.stdout.write(f"drill {drill_id}: {lead}-day reminder, {created} new notifications")
        if not sent:
            self.stdout.write("no reminder due")
