from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from command.services import command_log_verify


class Command(BaseCommand):
    help = "Verify an exported command log against its HMAC-SM3 signature (the X-Signature of the export)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the exported workbook")
        parser.add_argument("signature", help="its signature, v<N>:<hex>")

    def handle(self, *args, file, signature, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        if not command_log_verify(data=data, signature=signature):
            raise CommandError("the signature does not match this file: it was changed or not signed by this system")
        self.stdout.write("valid: the file is the log exactly as exported")
