"""Each section's figures on the hand-made data set of `data.py`, counted by hand."""

import datetime

from django.test import override_settings

from reporting.sections import compute_figures, compute_section, registry
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
            self.rows("strength_by_region", prefix="37"), [["淄博市", 2, 30, 4, 13.33], ["枣庄市", 1, 30, 2, 6.67]]
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


class YearStatusSectionTest(WorldTestCase):
    def test_units_without_a_status_count_as_not_started(self):
        from reporting.services import year_status_set

        a = self.world.a
        year_status_set(unit=a.unit, year=2025, phase="plan", status="accepted")
        year_status_set(unit=a.child_unit, year=2025, phase="plan", status="submitted")
        year_status_set(unit=a.child_unit, year=2024, phase="supervision", status="accepted")  # another year
        year_status_set(unit=self.world.b.unit, year=2025, phase="plan", status="accepted")  # another city
        rows = compute_section("member_unit_year_status", "370303", *MARCH)["rows"]
        self.assertEqual([r[1:] for r in rows], [[3, 1, 1, 1], [3, 3, 0, 0], [3, 3, 0, 0]])


class TrainingAndInspectionData(WorldTestCase):
    """Exercises, inspections and rectification in March 2025 on side A, counted by hand."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from inspections.models import Facility, InspectionReport, Rectification
        from training.models import Assessment, Attendance, Exercise

        cls.data = d = build(cls.world)
        a, b = cls.world.a, cls.world.b

        def exercise(side, day, status="completed", kind="single_subject"):
            return Exercise.objects.create(
                title=f"演练{day}", level="county", kind=kind, subject="消防", office=side.office,
                start_date=datetime.date(2025, 3, day), end_date=datetime.date(2025, 3, day), status=status,
            )  # fmt: skip

        e1, e2 = exercise(a, 10), exercise(a, 20, kind="joint")
        exercise(a, 25, status="cancelled").teams.add(d.t1)  # not counted
        exercise(a, 26, status="planned").teams.add(d.t1)  # not held: not counted either
        exercise(b, 10)  # another city
        e1.teams.add(d.t1)
        e2.teams.add(d.t1, d.t2)
        for person, status in ((d.p1, "present"), (d.p2, "absent"), (d.p3, "excused")):
            Attendance.objects.create(exercise=e1, person=person, team=d.t1, status=status)
        Attendance.objects.create(exercise=e2, person=d.p4, team=d.t2, status="present")
        for ex, team, score, grade in ((e1, d.t1, 92, "excellent"), (e2, d.t1, 75, "pass"), (e2, d.t2, 85, "good")):
            Assessment.objects.create(exercise=ex, team=team, score=score, grade=grade)

        inspector = cls.world.users["inspector"]
        facility = Facility.objects.create(kind="alarm_siren", name="警报器1", address="一街道", region=a.township)
        other = Facility.objects.create(kind="alarm_siren", name="警报器2", address="市中", region=b.township)

        def report(fac, day, status="submitted", severity="minor"):
            return InspectionReport.objects.create(
                facility=fac, inspector=inspector, status=status, severity=severity,
                inspected_on=datetime.date(2025, 3, day),
            )  # fmt: skip

        r1 = report(facility, 5)
        report(facility, 6, severity="none")
        report(facility, 7, status="draft")  # not filed
        report(other, 5)  # another city

        def order(fac, rep, deadline, completed=None):
            return Rectification.objects.create(
                report=rep, facility=fac, responsible_party="街道", requirement="修复", issued_by=inspector,
                deadline=datetime.date(2025, 3, deadline), completed_on=completed, status="issued",
            )  # fmt: skip

        order(facility, r1, 20, completed=datetime.date(2025, 3, 18))  # on time
        order(facility, r1, 25)  # overdue on 31 March
        order(facility, r1, 28, completed=datetime.date(2025, 3, 30))  # late


class TrainingAndInspectionSectionsTest(TrainingAndInspectionData):
    def test_exercises_by_level_and_kind_with_rates(self):
        result = compute_section("exercises", "370303", *MARCH)
        rows = result["rows"]
        self.assertEqual([r[2] for r in rows], [1, 1])
        # e1: P1 present, P2 absent, P3 excused: 1 of 2 expected. Graded excellent.
        self.assertEqual(rows[0][3:], [50.0, 100.0, 100.0])
        # e2: P4 present; T1 pass, T2 good: 1 of 2 good or better, none excellent.
        self.assertEqual(rows[1][3:], [100.0, 50.0, 0.0])
        # Over both: 2 present of 3 expected; 2 of 3 assessments good or better, 1 of 3 excellent.
        self.assertEqual([h["value"] for h in result["headline"]], [2, "66.67%", "66.67%", "33.33%"])
        self.assertTrue(result["note"])  # says what is counted

    def test_rates_with_nothing_to_divide_by_are_none_not_zero(self):
        april = (datetime.date(2025, 4, 1), datetime.date(2025, 4, 30))
        exercises = compute_section("exercises", "370303", *april)
        self.assertEqual([h["value"] for h in exercises["headline"]], [0, "—", "—", "—"])
        inspections = compute_section("inspections", "370303", *april)
        self.assertEqual([h["value"] for h in inspections["headline"]], [0, "—", 1])
        self.assertEqual([r[4] for r in inspections["rows"]], [None])  # one overdue, none due
        # An exercise held where nobody was expected nor assessed: its rates are None, shown as "—".
        from training.models import Exercise

        Exercise.objects.create(
            title="空演练", level="county", kind="joint", subject="消防", office=self.world.a.office,
            start_date=datetime.date(2025, 4, 3), end_date=datetime.date(2025, 4, 3), status="completed",
        )  # fmt: skip
        rows = compute_section("exercises", "370303", *april)["rows"]
        self.assertEqual(rows, [["区县级", "军地联合训练", 1, None, None, None]])

    def test_inspections_filed_and_rectification(self):
        rows = compute_section("inspections", "370303", *MARCH)["rows"]
        # One township: two reports filed (one with problems); 3 orders due, 1 on time, 1 overdue.
        self.assertEqual([r[1:] for r in rows], [[2, 1, 3, 33.33, 1]])
        # Read as of 20 March: the 25 March order is not overdue yet.
        early = compute_section("inspections", "370303", MARCH[0], datetime.date(2025, 3, 20))["rows"]
        self.assertEqual(early[0][5], 0)

    def test_a_snapshot_stores_the_same_figures_as_the_live_statistics(self):
        from reporting import selectors, services

        snapshot, _created = services.snapshot_take(region=self.world.a.county, kind="monthly", period_start=MARCH[0])
        snapshot.refresh_from_db()  # through the JSON column and back
        live = selectors.statistics_figures(self.world.a.county, *MARCH)
        self.assertEqual(snapshot.figures, live)
        filled = {s["key"] for s in live["sections"] if s["rows"]}
        self.assertTrue({"exercises", "inspections", "teams_by_level"} <= filled, filled)


class EverySectionComputesTest(TrainingAndInspectionData):
    """Every registered section, on data that gives each of them rows, with the figures counted
    by hand: a section that fails to register, or answers nothing, fails here."""

    EXPECTED = {
        "teams_by_category": [["抢险救援", 2, 30, 4]],
        "teams_by_type": [["医疗救护", "抢险救援", 1, 10, 1], ["消防救援", "抢险救援", 1, 20, 3]],
        "teams_by_level": [["区县级", 1, 20, 3], ["乡镇（街道）级", 1, 10, 1]],
        "strength_by_region": [["张店区", 1, 20, 3, 15.0], ["张店区一街道", 1, 10, 1, 10.0]],
        "readiness": [["抢险救援", 2, 0, 0.0, 1]],
        "standby_coverage": [["抢险救援", 2, 1, 50.0, 60.0]],
        "personnel_by_specialty": [["消防", 2, 1], ["医生", 1, 1], ["驾驶", 1, 1]],
        "qualifications": [["消防员国家职业资格证", 1, 0], ["医师执业证书", 1, 1]],
        "member_units_by_sector": [["卫生健康", 2, 2], ["交通运输", 1, 0]],
        # One test call on 18 March: the one person called answered in 4 minutes (target 90% in 30').
        "callout_test_by_type": [["消防救援", 1, 1, 100.0, 4.0, True]],
        "member_unit_year_status": [
            ["计划（年初）", 3, 2, 1, 0],
            ["督导（年中）", 3, 3, 0, 0],
            ["考评（年终）", 3, 3, 0, 0],
        ],
        # Made 20 March, undecided at the end of March: waiting 11 days by then.
        "roster_changes_waiting": [["张店区", 1, 11]],
        "exercises": [
            ["区县级", "单课目训练", 1, 50.0, 100.0, 100.0],
            ["区县级", "军地联合训练", 1, 100.0, 50.0, 0.0],
        ],
        "inspections": [["张店区一街道", 2, 1, 3, 33.33, 1]],
        # As of 31 March: the siren (monthly) inspected on 5 March; the warehouse (yearly, new this
        # year) not yet inspected, so due and not overdue.
        "inspection_coverage": [["张店区一街道", 2, 1, 50.0, 1, 0]],
        # Two stock lines checked on 15 March, one matching; verified 16 days before 31 March.
        "potential_data": [["张店区一街道", 1, 2, 50.0, "2025-03-15", 16, 16, 0]],
    }

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from django.utils import timezone

        from inspections.models import Facility, MaterialStock, PotentialVerification, VerificationLine
        from members.models import RosterChange
        from reporting.services import year_status_set

        a = cls.world.a
        year_status_set(unit=a.unit, year=2025, phase="plan", status="submitted")
        change = RosterChange.objects.create(
            unit=a.unit, submitted_by=cls.world.users["unit"], source="form", status="pending", base_version="x"
        )
        made = timezone.make_aware(datetime.datetime(2025, 3, 20, 10))
        RosterChange.objects.filter(pk=change.pk).update(created=made)
        warehouse = Facility.objects.create(kind="reserve_warehouse", name="仓库1", address="一街道", region=a.township)
        verification = PotentialVerification.objects.create(facility=warehouse, verified_on=datetime.date(2025, 3, 15))
        for material, declared, found in (("帐篷", 100, 100), ("饮用水", 50, 40)):
            stock = MaterialStock.objects.create(
                facility=warehouse, material_type=material, quantity=declared, unit="件"
            )
            VerificationLine.objects.create(
                verification=verification, stock=stock, declared_type=material, declared_quantity=declared,
                verified_type=material, verified_quantity=found,
            )  # fmt: skip
        Facility.objects.update(created=timezone.make_aware(datetime.datetime(2025, 1, 1, 9)))
        from teams.models import Activation, PersonCall, Team

        team = Team.objects.filter(team_type__name="消防救援", region__code__startswith="370303").first()
        called = timezone.make_aware(datetime.datetime(2025, 3, 18, 10))
        test = Activation.objects.create(title="通信测试", reason="-", region=a.county, is_test=True, ordered_at=called)
        PersonCall.objects.create(
            activation=test, person=team.memberships.first().person, team=team, code="sectest1", notified_at=called,
            answer="yes", answered_at=called + datetime.timedelta(minutes=4),
            first_answered_at=called + datetime.timedelta(minutes=4),
        )  # fmt: skip

    @override_settings(CALLOUT_TEST_TARGET={"rate": 90, "minutes": 30})
    def test_every_registered_section_computes_its_figures(self):
        self.assertEqual(registry.keys(), list(self.EXPECTED))  # report order, and nothing unregistered
        figures = compute_figures(self.world.a.county, *MARCH)
        for entry in figures["sections"]:
            with self.subTest(section=entry["key"]):
                self.assertEqual(entry["rows"], self.EXPECTED[entry["key"]])
                self.assertEqual({len(row) for row in entry["rows"]}, {len(entry["columns"])})
