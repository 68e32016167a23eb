"""Restore a backup folder into the configured database and media folder (both must be empty),
then verify every table's row count and checksum and the media files against its manifest."""

from django.core.management.base import BaseCommand, CommandError

from mobilization.backups import BackupError, read_backup, verify_database, verify_files
from mobilization.services import backup_restore


class Command(BaseCommand):
    help = "Restore a backup (made by `manage.py backup`) into an empty database and media folder, and verify it."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the backup folder (the one holding manifest.json)")
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="restore nothing: compare the backup's files, and the configured database and media folder, "
            "with its manifest",
        )

    def handle(self, *args, folder, verify_only=False, **options):
        try:
            if verify_only:
                backup = read_backup(folder)
                problems = verify_files(backup) + verify_database(backup)
            else:
                backup, problems = backup_restore(folder=folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = backup.manifest["tables"]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} differences from the backup of {backup.manifest['created']}")
        self.stdout.write(
            f"{'verified' if verify_only else 'restored and verified'}: {len(tables)} tables, {backup.rows} rows "
            f"and {backup.manifest['media']['files']} media files equal to the backup of {backup.manifest['created']}"
        )
