"""Each section's figures on the hand-made data set of `data.py`, counted by hand."""

from mobilization.statistics.sections import SECTIONS, compute_section
from teams.choices import TeamLevelChoices
from tests.base import WorldTestCase

from .data import MARCH, build


class SectionFiguresTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.data = build(cls.world)

    def rows(self, key, prefix="370303"):
        result = compute_section(key, prefix, *MARCH)
        self.assertTrue(result["available"], result)
        self.assertEqual(len(result["columns"]), len(result["rows"][0]) if result["rows"] else len(result["columns"]))
        return result["rows"]

    def test_teams_by_level(self):
        self.assertEqual(
            self.rows("teams_by_level"),
            [[str(TeamLevelChoices.COUNTY.label), 1, 20, 3], [str(TeamLevelChoices.TOWNSHIP.label), 1, 10, 1]],
        )

    def test_teams_by_category_and_type(self):
        self.assertEqual(self.rows("teams_by_category"), [["抢险救援", 2, 30, 4]])
        self.assertEqual(
            self.rows("teams_by_type"), [["医疗救护", "抢险救援", 1, 10, 1], ["消防救援", "抢险救援", 1, 20, 3]]
        )

    def test_strength_by_region_groups_by_the_level_below(self):
        self.assertEqual(
            self.rows("strength_by_region"),
            [["张店区", 1, 20, 3, 15.0], ["张店区一街道", 1, 10, 1, 10.0]],
        )
        # The province sees both cities, each with its own teams only.
        self.assertEqual(
            self.rows("strength_by_region", prefix="37"), [["淄博市", 2, 30, 4, 13.3], ["枣庄市", 1, 30, 2, 6.7]]
        )

    def test_readiness_and_standby(self):
        # Neither team reaches its type's minimum headcount; T1 is on standby at the end of March.
        self.assertEqual(self.rows("readiness"), [["抢险救援", 2, 0, 0.0, 1]])
        # T1 covered (48 h + the 12 h of its second duty that fall in March); T2 not.
        self.assertEqual(self.rows("standby_coverage"), [["抢险救援", 2, 1, 50.0, 60.0]])

    def test_personnel_by_specialty_and_qualification(self):
        self.assertEqual(self.rows("personnel_by_specialty"), [["消防", 2, 1], ["医生", 1, 1], ["驾驶", 1, 1]])
        self.assertEqual(self.rows("qualifications"), [["消防员国家职业资格证", 1, 0], ["医师执业证书", 1, 1]])

    def test_member_units_by_sector(self):
        rows = {r[0]: r[1:] for r in self.rows("member_units_by_sector")}
        from mobilization.choices import SectorChoices

        self.assertEqual(
            rows, {str(SectorChoices.HEALTH.label): [2, 2], str(SectorChoices.TRANSPORTATION.label): [1, 0]}
        )

    def test_every_section_answers_or_says_it_is_not_available(self):
        for key in SECTIONS:
            with self.subTest(key=key):
                result = compute_section(key, "370303", *MARCH)
                self.assertIn("title", result)
                if not result["available"]:
                    self.assertTrue(result["note"])
                    self.assertEqual(result["rows"], [])


class YearStatusSectionTest(WorldTestCase):
    def test_units_without_a_status_count_as_not_started(self):
        from mobilization.statistics.services import year_status_set

        a = self.world.a
        year_status_set(unit=a.unit, year=2025, phase="plan", status="accepted")
        year_status_set(unit=a.child_unit, year=2025, phase="plan", status="submitted")
        year_status_set(unit=a.child_unit, year=2024, phase="supervision", status="accepted")  # another year
        year_status_set(unit=self.world.b.unit, year=2025, phase="plan", status="accepted")  # another city
        rows = compute_section("member_unit_year_status", "370303", *MARCH)["rows"]
        self.assertEqual([r[1:] for r in rows], [[3, 1, 1, 1], [3, 3, 0, 0], [3, 3, 0, 0]])
