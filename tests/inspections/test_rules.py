"""Table-driven rules: evaluation grades from the five scores, and what a verification line
counts as matching."""

from decimal import Decimal

from django.test import SimpleTestCase

from inspections.models import TeamEvaluation, VerificationLine, grade_for


class GradeTest(SimpleTestCase):
    TABLE = [(100, "excellent"), (90, "excellent"), (89, "good"), (80, "good"), (79, "pass"), (60, "pass"),
             (59, "fail"), (0, "fail")]  # fmt: skip

    def test_grade_thresholds(self):
        for total, grade in self.TABLE:
            with self.subTest(total=total):
                self.assertEqual(grade_for(total), grade)

    def test_total_is_the_sum_of_the_five_scores(self):
        evaluation = TeamEvaluation(**dict(zip(TeamEvaluation.SCORE_FIELDS, (20, 18, 15, 17, 19), strict=True)))
        evaluation.score()
        self.assertEqual((evaluation.total, evaluation.grade), (89, "good"))


class VerificationLineMatchTest(SimpleTestCase):
    """(declared type, declared qty, verified type, verified qty) -> (type matches, quantity matches)."""

    TABLE = [
        (("帐篷", "100", "帐篷", "100.00"), (True, True)),
        (("帐篷", "100", " 帐篷 ", "100"), (True, True)),
        (("帐篷", "100", "帐篷", "99.5"), (True, False)),
        (("帐篷", "100", "篷布", "100"), (False, True)),
        (("发电机", "5", "水泵", "0"), (False, False)),
    ]

    def test_matching(self):
        for (declared_type, declared_qty, verified_type, verified_qty), expected in self.TABLE:
            with self.subTest(verified=(verified_type, verified_qty)):
                line = VerificationLine(
                    declared_type=declared_type,
                    declared_quantity=Decimal(declared_qty),
                    verified_type=verified_type,
                    verified_quantity=Decimal(verified_qty),
                )
                line.compare()
                self.assertEqual((line.type_matches, line.quantity_matches), expected)
                self.assertEqual(line.matches, all(expected))
