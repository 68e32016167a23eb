"""The one reading of a `--today YYYY-MM-DD` date, shared by every management command and
Celery task that can act as on another day (DESIGN.md: each scheduled job takes `--today`)."""

import argparse
import datetime

from django.utils import timezone
from django.utils.translation import gettext

__all__ = ["add_today_argument", "parse_day", "resolve_today"]


def parse_day(value) -> datetime.date:
    """A date from `YYYY-MM-DD` (a date passes through). As an argparse `type`, a bad value is
    reported as a usage error naming the value, not a traceback."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            gettext("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-09-18.") % {"value": value}
        ) from None


def resolve_today(value=None) -> datetime.date:
    """The day a job acts as on: `value` (a date or `YYYY-MM-DD`, as a task argument or an option
    that `call_command` passes through unparsed), or today in Beijing when none is given."""
    if value in (None, ""):
        return timezone.localdate()
    try:
        return parse_day(value)
    except argparse.ArgumentTypeError as exc:
        raise ValueError(str(exc)) from None


def add_today_argument(parser, help_text=None):
    parser.add_argument(
        "--today",
        type=parse_day,
        metavar="YYYY-MM-DD",
        help=help_text or "act as on this date (YYYY-MM-DD, Beijing time); default today",
    )
