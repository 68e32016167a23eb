"""Table-driven rules: grades from configurable thresholds, regrading, and the three rates
(participation, good-or-better, excellent) computed by the database against their targets."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import TestCase

from tests.base import World
from tests.factories import add_member, make_exercise, make_team
from training import selectors, services
from training.choices import AttendanceStatusChoices as S
from training.models import Assessment, Attendance, GradeThresholds

DEFAULT_GRADES = [
    # (score, grade under the defaults: excellent from 90, good from 80, pass from 60)
    ("100", "excellent"),
    ("90", "excellent"),
    ("89.99", "good"),
    ("80", "good"),
    ("79.99", "pass"),
    ("60", "pass"),
    ("59.99", "fail"),
    ("0", "fail"),
]
CUSTOM_GRADES = [
    # thresholds 85 / 70 / 50
    ("85", "excellent"),
    ("84.99", "good"),
    ("70", "good"),
    ("69.99", "pass"),
    ("50", "pass"),
    ("49.99", "fail"),
]


class GradeThresholdTest(TestCase):
    def test_default_thresholds(self):
        thresholds = GradeThresholds.for_year(2026)
        for score, grade in DEFAULT_GRADES:
            with self.subTest(score=score):
                self.assertEqual(thresholds.grade(Decimal(score)), grade)

    def test_configured_thresholds_apply_from_their_year_on(self):
        GradeThresholds.objects.create(year=2025, excellent_min=85, good_min=70, pass_min=50)
        for year in (2025, 2026):
            for score, grade in CUSTOM_GRADES:
                with self.subTest(year=year, score=score):
                    self.assertEqual(GradeThresholds.for_year(year).grade(Decimal(score)), grade)
        self.assertEqual(GradeThresholds.for_year(2024).grade(Decimal("85")), "good")  # before: the defaults

    def test_thresholds_must_rise(self):
        for excellent, good, passing in [(80, 80, 60), (70, 80, 60), (90, 50, 60)]:
            with self.subTest(thresholds=(excellent, good, passing)), self.assertRaises(ValidationError):
                GradeThresholds(year=2026, excellent_min=excellent, good_min=good, pass_min=passing).full_clean()


class RegradeTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World()

    def test_saving_thresholds_regrades_that_year_and_later_years_only(self):
        a = self.world.a
        old = make_exercise(a, start=__import__("datetime").date(2024, 5, 1))
        new = make_exercise(a)
        before = Assessment.objects.create(exercise=old, team=old.teams.get(), score=Decimal("87"))
        after = Assessment.objects.create(exercise=new, team=new.teams.get(), score=Decimal("87"))
        self.assertEqual((before.grade, after.grade), ("good", "good"))
        services.grade_thresholds_save(
            thresholds=GradeThresholds(year=2025, excellent_min=85, good_min=70, pass_min=50),
            by=self.world.users["city_office"],
        )
        before.refresh_from_db()
        after.refresh_from_db()
        self.assertEqual((before.grade, after.grade), ("good", "excellent"))


def _attend(exercise, statuses):
    """One member of the exercise's team per status."""
    team = exercise.teams.get()
    for status in statuses:
        Attendance.objects.create(exercise=exercise, team=team, person=add_member(team), status=status)


PARTICIPATION = [
    # (statuses, participation rate, target met: the target is "above 95%")
    ([S.PRESENT] * 19 + [S.ABSENT], Decimal("95.00"), False),
    ([S.PRESENT] * 19 + [S.EXCUSED], Decimal("100.00"), True),
    ([S.PRESENT] * 24 + [S.ABSENT], Decimal("96.00"), True),
    ([S.PRESENT] * 2 + [S.EXPECTED], Decimal("66.67"), False),  # not recorded counts as missing
    ([S.EXCUSED] * 2, None, None),  # nobody expected: no rate, no verdict
]
GRADES = [
    # (scores, good-or-better rate, excellent rate, excellent target met: "above 80%")
    (["95", "92", "91", "90", "70"], Decimal("80.00"), Decimal("80.00"), False),
    (["95", "92", "91", "90", "90"], Decimal("100.00"), Decimal("100.00"), True),
    (["85", "59", "60", "95"], Decimal("50.00"), Decimal("25.00"), False),
]


class RatesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World()

    def test_participation_rate_per_exercise(self):
        office = self.world.users["office"]
        for statuses, rate, met in PARTICIPATION:
            with self.subTest(statuses=statuses):
                exercise = make_exercise(self.world.a)
                _attend(exercise, statuses)
                rows = {r["key"]: r for r in selectors.rates_table(user=office, by="exercise")["results"]}
                self.assertEqual(rows[exercise.pk]["participation_rate"], rate)
                self.assertEqual(rows[exercise.pk]["participation_met"], met)

    def test_grade_rates_per_team(self):
        office = self.world.users["office"]
        for scores, good, excellent, met in GRADES:
            with self.subTest(scores=scores):
                team = make_team(self.world.a)
                for score in scores:
                    exercise = make_exercise(self.world.a, teams=[team])
                    Assessment.objects.create(exercise=exercise, team=team, score=Decimal(score))
                row = next(r for r in selectors.rates_table(user=office, by="team")["results"] if r["key"] == team.pk)
                self.assertEqual(
                    (row["good_rate"], row["excellent_rate"], row["excellent_met"]), (good, excellent, met)
                )

    def test_planned_and_cancelled_exercises_do_not_count(self):
        office = self.world.users["office"]
        team = make_team(self.world.a)
        for status in ("planned", "cancelled"):
            _attend(make_exercise(self.world.a, teams=[team], status=status), [S.ABSENT, S.ABSENT])
        _attend(make_exercise(self.world.a, teams=[team]), [S.PRESENT])
        row = next(r for r in selectors.rates_table(user=office, by="team")["results"] if r["key"] == team.pk)
        self.assertEqual((row["expected"], row["present"], row["participation_rate"]), (1, 1, Decimal("100.00")))

    def test_rates_group_by_every_dimension_and_stay_in_scope(self):
        exercise = make_exercise(self.world.a)
        _attend(exercise, [S.PRESENT, S.ABSENT])
        _attend(make_exercise(self.world.b), [S.PRESENT])
        office = self.world.users["office"]
        team = exercise.teams.get()
        expected_keys = {
            "exercise": exercise.pk,
            "team": team.pk,
            "team_type": team.team_type_id,
            "unit": team.unit_id,
            "region": team.region_id,
            "year": 2026,
        }
        for by, key in expected_keys.items():
            with self.subTest(by=by):
                results = selectors.rates_table(user=office, by=by)["results"]
                self.assertEqual([(r["key"], r["expected"], r["present"]) for r in results], [(key, 2, 1)])

    def test_targets_come_from_the_year(self):
        GradeThresholds.objects.create(year=2026, participation_target=90, excellent_target=60)
        table = selectors.rates_table(user=self.world.users["office"], by="team", year=2026)
        self.assertEqual(table["targets"], {"participation": Decimal("90"), "excellent": Decimal("60")})
