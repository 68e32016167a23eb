"""Archive the audit events past retention (AUDIT_RETENTION_DAYS, at least 180) to a signed file
and remove them, as the beat does daily; --today acts as on that date."""

from django.core.management.base import BaseCommand, CommandError

from mobilization.audit.archive import AuditChainBroken, archive_dir, archive_events, retention_days
from mobilization.dates import add_today_argument, resolve_today


class Command(BaseCommand):
    help = "Archive audit events older than the retention period to a signed file, then remove them."

    def add_arguments(self, parser):
        add_today_argument(parser)

    def handle(self, *args, today=None, **options):
        today = resolve_today(today)
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
