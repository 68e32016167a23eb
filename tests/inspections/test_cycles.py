"""Inspection cycles: each facility's next due date, due and overdue lists and coverage per grid,
township and county, against hand counts; reminders before the due date and the overdue
escalation, each step once; the cycles' own endpoint with its scoping matrix."""

import datetime

from django.urls import reverse
from django.utils import timezone

from inspections import cycles, services
from inspections.models import Facility, InspectionCycle
from mobilization.choices import RegionLevelChoices
from mobilization.models import Notification, Region
from tests import factories as f
from tests.base import APIScopeTestCase, WorldTestCase

TODAY = datetime.date(2026, 5, 20)
LONG_AGO = timezone.make_aware(datetime.datetime(2025, 1, 1, 9, 0))


def new_region(parent, level):
    """A fresh township under a county, or village under a township."""
    n = 100 + f.n() % 900  # the world's own are 001
    code = parent.code[:6] + f"{n:03d}000" if level == RegionLevelChoices.TOWNSHIP else parent.code[:9] + f"{n:03d}"
    return Region.objects.create(code=code, name=f"区域{n}", level=level, parent=parent)


class InspectionCycleAPITest(APIScopeTestCase):
    model = InspectionCycle
    basename = "inspectioncycle"
    access = {"office": "write", "city_office": "write", "liaison": "read", "inspector": "read", "director": "read"}
    update_payload = {"months": 12}

    def make(self, side):
        return InspectionCycle.objects.create(
            kind="alarm_siren", region=new_region(side.township, RegionLevelChoices.VILLAGE), months=1
        )

    def create_payload(self, side):
        return {
            "kind": "civil_defence_works",
            "region": new_region(side.township, RegionLevelChoices.VILLAGE).code,
            "months": 3,
        }


class ScheduleTest(WorldTestCase):
    """Side A's township has two grids (villages). Hand counts, on 2026-05-20:

    grid 1 (monthly sirens, quarterly works, yearly warehouses by default)
      S1 siren inspected 05-03: covered, next due 06-30
      S2 siren inspected 04-10: due by 05-31
      S3 siren never inspected: overdue since 04-30 (20 days)
      W1 works inspected 04-02: covered (Q2), next due 09-30
      W2 works inspected 02-01: due by 06-30 (inspected in Q1)
      W3 works, only a draft on 05-10, filed 2025-11-01: overdue since 03-31
      H1 warehouse never inspected: overdue since 2025-12-31 (140 days)
      X  siren out of service: not counted
    grid 2 (its sirens set quarterly by the office)
      S4 siren inspected 05-05: covered; S5 siren inspected 04-01: covered (Q2)
    -> grid 1: 7 facilities, 2 covered, 2 due, 3 overdue; grid 2: 2, 2, 0, 0;
       township: 9 facilities, 4 covered (44.44%), 2 due, 3 overdue. Side B's facility is nobody's here.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a, inspector = cls.world.a, cls.world.users["inspector"]
        cls.grid2 = new_region(a.township, RegionLevelChoices.VILLAGE)
        InspectionCycle.objects.create(kind="alarm_siren", region=cls.grid2, months=3)

        def facility(name, kind, inspected=(), region=None, **fields):
            made = f.make_facility(a, kind=kind, name=name, region=region, **fields)
            for day, status in inspected:
                f.make_report(a, inspector, facility=made, status=status, inspected_on=day)
            return made

        d = datetime.date
        cls.f = {
            "S1": facility("S1", "alarm_siren", [(d(2026, 5, 3), "submitted")]),
            "S2": facility("S2", "alarm_siren", [(d(2026, 4, 10), "reviewed")]),
            "S3": facility("S3", "alarm_siren"),
            "W1": facility("W1", "civil_defence_works", [(d(2026, 4, 2), "submitted")]),
            "W2": facility("W2", "civil_defence_works", [(d(2026, 2, 1), "submitted")]),
            "W3": facility("W3", "civil_defence_works", [(d(2025, 11, 1), "submitted"), (d(2026, 5, 10), "draft")]),
            "H1": facility("H1", "reserve_warehouse"),
            "X": facility("X", "alarm_siren", status="out_of_service"),
            "S4": facility("S4", "alarm_siren", [(d(2026, 5, 5), "submitted")], region=cls.grid2),
            "S5": facility("S5", "alarm_siren", [(d(2026, 4, 1), "submitted")], region=cls.grid2),
        }
        f.make_facility(cls.world.b, kind="alarm_siren", name="B")
        Facility.objects.update(created=LONG_AGO)

    def rows(self):
        visible = Facility.objects.visible_to(self.world.users["office"])
        return {row.name: row for row in cycles.schedule(visible, TODAY)}

    def test_each_facilitys_place_in_its_cycle(self):
        rows = self.rows()
        d = datetime.date
        expected = {
            # name: (covered, overdue, due_on, days_overdue)
            "S1": (True, False, d(2026, 6, 30), 0),
            "S2": (False, False, d(2026, 5, 31), 0),
            "S3": (False, True, d(2026, 4, 30), 20),
            "W1": (True, False, d(2026, 9, 30), 0),
            "W2": (False, False, d(2026, 6, 30), 0),
            "W3": (False, True, d(2026, 3, 31), 50),
            "H1": (False, True, d(2025, 12, 31), 140),
            "S4": (True, False, d(2026, 9, 30), 0),
            "S5": (True, False, d(2026, 9, 30), 0),
        }
        self.assertEqual({name: (r.covered, r.overdue, r.due_on, r.days_overdue) for name, r in rows.items()}, expected)

    def test_a_facility_new_this_cycle_is_due_not_overdue(self):
        Facility.objects.filter(pk=self.f["S3"].pk).update(created=timezone.make_aware(datetime.datetime(2026, 5, 2)))
        row = self.rows()["S3"]
        self.assertEqual((row.covered, row.overdue, row.due_on), (False, False, datetime.date(2026, 5, 31)))

    def test_coverage_per_grid_and_township(self):
        rows = self.rows().values()
        a = self.world.a
        by_grid = cycles.coverage(rows, a.township.code)
        self.assertEqual(
            [(r["region"], r["facilities"], r["covered"], r["due"], r["overdue"]) for r in by_grid],
            [(a.village.code, 7, 2, 2, 3), (self.grid2.code, 2, 2, 0, 0), (None, 9, 4, 2, 3)],
        )
        self.assertEqual([str(r["coverage"]) for r in by_grid], ["28.57", "100.00", "44.44"])
        by_township = cycles.coverage(rows, a.county.code)
        self.assertEqual(
            [(r["region"], r["facilities"], r["covered"], str(r["coverage"])) for r in by_township],
            [(a.township.code, 9, 4, "44.44"), (None, 9, 4, "44.44")],
        )
        self.assertEqual(cycles.coverage(rows, a.city.code, "grid")[-1]["facilities"], 9)

    def test_the_api_lists_overdue_and_coverage_in_scope(self):
        self.as_role("director")
        response = self.client.get(reverse("api:facility-coverage") + f"?region={self.world.a.township.code}")
        self.assertEqual(response.status_code, 200, response.content)
        # The API counts as of today; with every inspection in the past, today's figures differ from
        # the hand counts only by cycle, so the totals of facilities are what is checked here.
        self.assertEqual(response.json()[-1]["facilities"], 9)
        self.as_role("inspector")
        response = self.client.get(reverse("api:facility-schedule") + "?state=overdue")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertIn("H1", {row["name"] for row in response.json()})
        self.assertNotIn("B", {row["name"] for row in response.json()})


class RemindAndEscalateTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        inspector = cls.world.users["inspector"]
        cls.siren = f.make_facility(cls.world.a, kind="alarm_siren", name="警报器")
        f.make_report(cls.world.a, inspector, facility=cls.siren, inspected_on=datetime.date(2026, 4, 10))
        Facility.objects.update(created=LONG_AGO)

    def notes(self, kind):
        return list(Notification.objects.filter(kind=kind).order_by("pk").values_list("recipient__username", "key"))

    def test_the_inspector_is_reminded_once_within_the_window(self):
        self.assertEqual(services.inspections_remind_due(today=datetime.date(2026, 5, 20)), 0)  # 11 days left
        services.inspections_remind_due(today=datetime.date(2026, 5, 25))  # 6 days left: within 7
        services.inspections_remind_due(today=datetime.date(2026, 5, 26))
        self.assertEqual(self.notes("inspection_due"), [("t_inspector", f"inspection-due:{self.siren.pk}:2026-05-31")])

    def test_overdue_escalates_one_level_per_sweep_each_once(self):
        # May not inspected: overdue from 06-01 (the cycle ended 05-31); escalation steps 3 days apart.
        self.assertEqual(services.inspections_sweep_overdue(today=datetime.date(2026, 5, 31))["overdue"], 0)
        services.inspections_sweep_overdue(today=datetime.date(2026, 6, 1))  # 1 day: the workstation
        services.inspections_sweep_overdue(today=datetime.date(2026, 6, 1))  # nothing more earned
        stem = f"inspection-overdue:{self.siren.pk}:2026-05-31:escalation:"
        self.assertEqual(self.notes("inspection_overdue"), [("t_director", f"{stem}1")])
        services.inspections_sweep_overdue(today=datetime.date(2026, 6, 4))  # 4 days: the county office
        services.inspections_sweep_overdue(today=datetime.date(2026, 6, 4))
        self.assertEqual(self.notes("inspection_overdue"), [("t_director", f"{stem}1"), ("t_office", f"{stem}2")])
        # Inspected at last: no longer overdue, nothing further.
        f.make_report(
            self.world.a, self.world.users["inspector"], facility=self.siren, inspected_on=datetime.date(2026, 6, 5)
        )
        self.assertEqual(
            services.inspections_sweep_overdue(today=datetime.date(2026, 6, 30)), {"overdue": 0, "escalated": 0}
        )
        self.assertEqual(len(self.notes("inspection_overdue")), 2)
