"""One formula per figure: participation, good-or-better and excellent rates of the same year and
scope read the same through the admin's rates page, the API, the dashboard and a snapshot, and
are the numbers counted by hand."""

import datetime
from decimal import Decimal

from django.urls import reverse

from mobilization.rates import rate_display
from reporting import services
from tests.base import WorldTestCase
from training.models import Assessment, Attendance, Exercise

from .data import person, team

# Counted by hand from the data below (2025, city A seen by its city office):
# expected 9 (e1: P1 P2 P3 P5, P4 excused; e2: P1 P2 P3 P6 P5), present 7 -> 77.78 %;
# assessed 3 (e1: T1 excellent, T2 good; e2: T1 pass) -> good or better 2/3 = 66.67 %, excellent 1/3 = 33.33 %.
PARTICIPATION, GOOD, EXCELLENT = Decimal("77.78"), Decimal("66.67"), Decimal("33.33")


class SameNumbersEverywhereTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a, b = cls.world.a, cls.world.b
        t1 = team(a, "张店区消防救援队", "fire_rescue", "county", a.county, 20)
        t2 = team(a, "车站街道医疗救护队", "medical_rescue", "township", a.township, 10)
        t3 = team(b, "市中区消防救援队", "fire_rescue", "county", b.county, 30)
        p1, p2, p3, p4, p5, p6 = (person(a.unit, name, "消防") for name in "甲乙丙丁戊己")
        q1 = person(b.unit, "庚", "消防")

        def exercise(side, day, status="completed", teams=()):
            made = Exercise.objects.create(
                title=f"演练{day}", level="county", kind="single_subject", subject="消防", office=side.office,
                start_date=day, end_date=day, status=status,
            )  # fmt: skip
            made.teams.add(*teams)
            return made

        e1 = exercise(a, datetime.date(2025, 3, 10), teams=(t1, t2))
        e2 = exercise(a, datetime.date(2025, 6, 10), status="under_way", teams=(t1, t2))
        cancelled = exercise(a, datetime.date(2025, 7, 10), status="cancelled", teams=(t1,))
        planned = exercise(a, datetime.date(2025, 11, 10), status="planned", teams=(t1,))
        last_year = exercise(a, datetime.date(2024, 9, 18), teams=(t1,))
        other_city = exercise(b, datetime.date(2025, 3, 10), teams=(t3,))
        for ex, who, tm, status in (
            (e1, p1, t1, "present"), (e1, p2, t1, "present"), (e1, p3, t1, "absent"), (e1, p4, t1, "excused"),
            (e1, p5, t2, "present"),
            (e2, p1, t1, "present"), (e2, p2, t1, "present"), (e2, p3, t1, "present"), (e2, p6, t1, "absent"),
            (e2, p5, t2, "present"),
            (cancelled, p1, t1, "absent"), (last_year, p1, t1, "absent"), (other_city, q1, t3, "absent"),
        ):  # fmt: skip
            Attendance.objects.create(exercise=ex, person=who, team=tm, status=status)
        for ex, tm, score, grade in (
            (e1, t1, 92, "excellent"), (e1, t2, 85, "good"), (e2, t1, 70, "pass"),
            (cancelled, t1, 95, "excellent"), (planned, t1, 95, "excellent"), (last_year, t1, 50, "fail"),
            (other_city, t3, 50, "fail"),
        ):  # fmt: skip
            Assessment.objects.create(exercise=ex, team=tm, score=score, grade=grade)

    def setUp(self):
        self.client.force_login(self.world.users["city_office"])

    def test_admin_api_dashboard_and_snapshot_agree_with_the_hand_count(self):
        admin = self.client.get(reverse("admin:training_assessment_rates"), {"by": "year", "year": 2025})
        self.assertEqual(admin.status_code, 200)
        [row] = admin.context["table"]["results"]
        self.assertEqual(
            (row["participation_rate"], row["good_rate"], row["excellent_rate"]), (PARTICIPATION, GOOD, EXCELLENT)
        )
        for shown in ("77.78%", "66.67%", "33.33%"):
            self.assertContains(admin, shown)

        api = self.client.get(reverse("api:assessment-rates"), {"by": "year", "year": 2025})
        self.assertEqual(api.status_code, 200)
        [row] = api.json()["results"]
        self.assertEqual(
            (Decimal(row["participation_rate"]), Decimal(row["good_rate"]), Decimal(row["excellent_rate"])),
            (PARTICIPATION, GOOD, EXCELLENT),
        )

        expected_headline = {
            "参训率": rate_display(PARTICIPATION),
            "良好及以上": rate_display(GOOD),
            "优秀": rate_display(EXCELLENT),
        }
        dashboard = self.client.get(
            reverse("dashboard:index"), {"region": self.world.a.city.code, "kind": "yearly", "date": "2025-06-01"}
        )
        self.assertEqual(dashboard.status_code, 200)
        [exercises] = [s for s in dashboard.context["figures"]["sections"] if s["key"] == "exercises"]
        headline = {h["label"]: h["value"] for h in exercises["headline"]}
        self.assertEqual({k: headline[k] for k in expected_headline}, expected_headline)
        self.assertEqual(headline["训练演练"], 2)  # e1 and e2: not the cancelled, planned, 2024 or other city's
        # One level and kind here, so its row holds the same rates.
        self.assertEqual([r[3:] for r in exercises["rows"]], [[77.78, 66.67, 33.33]])
        for shown in ("77.78%", "66.67%", "33.33%"):
            self.assertContains(dashboard, shown)

        snapshot, _created = services.snapshot_take(
            region=self.world.a.city, kind="yearly", period_start=datetime.date(2025, 1, 1)
        )
        snapshot.refresh_from_db()
        [stored] = [s for s in snapshot.figures["sections"] if s["key"] == "exercises"]
        self.assertEqual(stored["headline"], exercises["headline"])
        self.assertEqual(stored["rows"], exercises["rows"])
