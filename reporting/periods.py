"""The periods statistics cover: calendar months, quarters and years, and the three phases of
the year (plan, supervision, evaluation)."""

import datetime

from .choices import PeriodKindChoices, SnapshotKindChoices

__all__ = ["period_bounds", "previous_period", "snapshot_kinds_due"]


def period_bounds(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(start, end) of the period of `kind` that contains `day`.

    The phases of the year: the plan covers its first quarter, supervision the first half and
    the evaluation the whole year."""
    year = day.year
    if kind == PeriodKindChoices.MONTHLY:
        start = day.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        return start, end
    if kind == PeriodKindChoices.QUARTERLY:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = datetime.date(year, first_month, 1)
        end = (start + datetime.timedelta(days=95)).replace(day=1) - datetime.timedelta(days=1)
        return start, end
    if kind in (PeriodKindChoices.YEARLY, PeriodKindChoices.EVALUATION):
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if kind == PeriodKindChoices.PLAN:
        return datetime.date(year, 1, 1), datetime.date(year, 3, 31)
    if kind == PeriodKindChoices.SUPERVISION:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    raise ValueError(kind)


def previous_period(kind: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of `kind` that ended most recently before `today`."""
    start, _end = period_bounds(kind, today)
    return period_bounds(kind, start - datetime.timedelta(days=1))


def snapshot_kinds_due(today: datetime.date) -> list[str]:
    """The kinds whose period ended yesterday (what the beat would run today)."""
    kinds = [SnapshotKindChoices.MONTHLY] if today.day == 1 else []
    if today.day == 1 and today.month in (1, 4, 7, 10):
        kinds.append(SnapshotKindChoices.QUARTERLY)
    if today.day == 1 and today.month == 1:
        kinds.append(SnapshotKindChoices.YEARLY)
    return kinds
