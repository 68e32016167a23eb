"""The one rounding rule: the database's `percentage()` and Python's `rate()` give the same
number for every part and whole, halves rounded up, and none when the whole is zero."""

from decimal import Decimal

from django.db.models import IntegerField, Value
from django.test import TestCase

from mobilization.models import Region
from mobilization.rates import percentage, rate, rate_display


def in_the_database(part, whole):
    Region.objects.get_or_create(code="370000000000", defaults={"name": "山东省", "level": "province"})
    row = (
        Region.objects.annotate(p=Value(part, IntegerField()), w=Value(whole, IntegerField()))
        .annotate(r=percentage("p", "w"))
        .values_list("r", flat=True)[:1]
    )
    return row[0]


class RateRuleTest(TestCase):
    CASES = [
        # (part, whole, rate): halves round up, repeating decimals to two places.
        (2, 3, Decimal("66.67")),
        (1, 3, Decimal("33.33")),
        (1, 8, Decimal("12.50")),
        (1, 160, Decimal("0.63")),  # 0.625 exactly: up, not to even
        (107, 4000, Decimal("2.68")),  # 2.675 exactly, not representable as a float
        (7, 9, Decimal("77.78")),
        (0, 5, Decimal("0.00")),
        (95, 100, Decimal("95.00")),
        (3, 0, None),
    ]

    def test_cases_in_python_and_in_the_database(self):
        for part, whole, expected in self.CASES:
            with self.subTest(part=part, whole=whole):
                self.assertEqual(rate(part, whole), expected)
                self.assertEqual(in_the_database(part, whole), expected)

    def test_both_spellings_agree_on_every_fraction_up_to_forty(self):
        differing = [
            (part, whole, rate(part, whole), in_the_database(part, whole))
            for whole in range(1, 41)
            for part in range(whole + 1)
            if rate(part, whole) != in_the_database(part, whole)
        ]
        self.assertEqual(differing, [])

    def test_display(self):
        self.assertEqual(rate_display(rate(2, 3)), "66.67%")
        self.assertEqual(rate_display(None), "—")
