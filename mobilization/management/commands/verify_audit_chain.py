"""Walk the audit chain and report the first broken link, or "intact, N events" (exit status 1
when broken). With --archives, the archive files are checked too."""

from django.core.management.base import BaseCommand, CommandError

from mobilization.audit.archive import verify_archives
from mobilization.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain (and, with --archives, its archive files)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="events read per query")
        parser.add_argument("--archives", action="store_true", help="check the archive files as well")

    def handle(self, *args, batch_size=2000, archives=False, **options):
        problems = verify_archives() if archives else []
        for problem in problems:
            self.stderr.write(f"archive: {problem}")
        report = verify_chain(batch_size=batch_size)
        if not report.intact:
            raise CommandError(str(report))
        if problems:
            raise CommandError(f"{len(problems)} archive problem(s); the live chain is {report}")
        self.stdout.write(str(report))
