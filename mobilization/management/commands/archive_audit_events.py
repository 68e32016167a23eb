"""Archive the audit events past retention (AUDIT_RETENTION_DAYS, at least 180) to a signed file
and remove them, as the beat does daily; --today acts as on that date."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mobilization.audit.archive import AuditChainBroken, archive_dir, archive_events, retention_days


class Command(BaseCommand):
    help = "Archive audit events older than the retention period to a signed file, then remove them."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="act as on this date (YYYY-MM-DD)")

    def handle(self, *args, today=None, **options):
        today = datetime.date.fromisoformat(today) if today else timezone.localdate()
        try:
            archive = archive_events(today=today)
        except AuditChainBroken as exc:
            raise CommandError(f"the chain is broken at event {exc}: nothing archived") from exc
        if archive is None:
            self.stdout.write(f"nothing older than {retention_days()} days")
        else:
            self.stdout.write(
                f"{archive.count} events ({archive.first_event_id}–{archive.last_event_id}) archived to "
                f"{archive_dir() / archive.file_name}"
            )
