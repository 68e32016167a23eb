import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mobilization.dates import add_today_argument, resolve_today
from teams.services import callout_escalate


def _moment(now, today):
    """`--now` (an ISO date and time, local time when it names no zone) or `--today` (that day at the
    present time of day); neither: now."""
    if now:
        try:
            moment = parse_datetime(now)
        except ValueError:
            moment = None
        if moment is None:
            raise CommandError(f"--now: not an ISO date and time: {now!r}")
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    if today:
        try:
            day = resolve_today(today)  # the project's one reading of --today
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        return timezone.make_aware(datetime.datetime.combine(day, timezone.localtime().time()))
    return timezone.now()


class Command(BaseCommand):
    help = "Remind called-out people who have not answered, then tell their leaders (each step once per person)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="act as at this moment (YYYY-MM-DDTHH:MM[:SS])")
        add_today_argument(parser)

    def handle(self, *args, now=None, today=None, **options):
        moment = _moment(now, today)
        result = callout_escalate(now=moment)
        self.stdout.write(f"{result['reminded']} reminded, {result['escalated']} leaders told at {moment.isoformat()}")
