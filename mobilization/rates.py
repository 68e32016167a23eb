"""The one rounding rule of every rate the office reads (participation, grades, strength,
readiness, coverage, rectification on time, data accuracy): part ÷ whole in per cent, rounded
half up to two decimals; none at all when the whole is zero ("0%" would read as a failure that
did not happen).

Two spellings of the same rule: `percentage()` for the database (rates grouped in SQL) and
`rate()` for counts already fetched. tests/mobilization/test_rates.py holds them equal."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, F, Value
from django.db.models.functions import Cast, NullIf, Round

__all__ = ["RATE_PLACES", "percentage", "rate", "rate_display"]

RATE_PLACES = 2
_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)


def percentage(part: str, whole: str):
    """part / whole in per cent, computed by the database; NULL when whole is 0."""
    # Divided in floating point (SQLite would truncate an integer division), rounded as a decimal.
    ratio = Cast(F(part) * Value(100.0) / NullIf(F(whole), 0), DecimalField(max_digits=12, decimal_places=4))
    return Round(ratio, RATE_PLACES, output_field=DecimalField(max_digits=6, decimal_places=RATE_PLACES))


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole in per cent by the same rule, from counts in hand; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_QUANTUM, rounding=ROUND_HALF_UP)


def rate_display(value) -> str:
    """A rate as a headline shows it: "95.45%", or "—" when there is none."""
    return "—" if value is None else f"{Decimal(value).quantize(_QUANTUM, rounding=ROUND_HALF_UP)}%"
