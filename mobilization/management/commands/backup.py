"""Back up the database and the media folder into a new dated folder under BACKUP_DIR, as the beat
does nightly, and keep the BACKUP_KEEP most recent (see mobilization.backups)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mobilization.backups import BackupError
from mobilization.services import backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc, or SQLite's online backup) and the media folder, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help=f"keep this many most recent backups, removing older ones (default BACKUP_KEEP, "
            f"{settings.BACKUP_KEEP}; 0 keeps all)",
        )

    def handle(self, *args, keep=None, **options):
        try:
            backup = backup_create(keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.manifest
        self.stdout.write(
            f"{backup.folder}: {len(manifest['tables'])} tables, {backup.rows} rows, "
            f"{manifest['media']['files']} media files"
        )
