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


class PortalAndAdminCoverageTest(WorldTestCase):
    """On today's date: a siren inspected today (covered), one inspected last month (due by the end
    of this month), one never inspected (overdue): coverage 33.33%, one due, one overdue."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a, inspector = cls.world.a, cls.world.users["inspector"]
        today = timezone.localdate()
        last_month = today.replace(day=1) - datetime.timedelta(days=1)
        cls.covered = f.make_facility(a, kind="alarm_siren", name="今日已查")
        f.make_report(a, inspector, facility=cls.covered, inspected_on=today)
        cls.due = f.make_facility(a, kind="alarm_siren", name="上月已查")
        f.make_report(a, inspector, facility=cls.due, inspected_on=last_month)
        cls.overdue = f.make_facility(a, kind="alarm_siren", name="从未巡查")
        Facility.objects.update(created=LONG_AGO)

    def test_the_directors_page_counts_by_hand(self):
        self.login("director")
        page = self.client.get(reverse("portal:inspections-schedule") + "?level=grid")
        self.assertEqual(page.status_code, 200)
        total = page.context["coverage"][-1]
        self.assertEqual(
            (total["facilities"], total["covered"], str(total["coverage"]), total["due"], total["overdue"]),
            (3, 1, "33.33", 1, 1),
        )
        self.assertContains(page, f'data-testid="overdue-{self.overdue.pk}"')
        self.assertContains(page, f'data-testid="due-{self.due.pk}"')
        self.assertNotContains(page, f'data-testid="due-{self.covered.pk}"')

    def test_the_admin_shows_coverage_above_the_cycles(self):
        self.login("office")
        page = self.client.get(reverse("admin:inspections_inspectioncycle_changelist"))
        self.assertEqual(page.status_code, 200)
        self.assertEqual(
            [(r["facilities"], r["covered"], r["overdue"]) for r in page.context["coverage"]][-1], (3, 1, 1)
        )
        facility_page = self.client.get(reverse("admin:inspections_facility_change", args=[self.overdue.pk]))
        # Never inspected: overdue since the end of last month.
        missed = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        self.assertContains(facility_page, missed.isoformat())


class FilingPositionTest(WorldTestCase):
    """With consent the phone's position is stored on the report and its distance from the facility
    measured; farther than INSPECTION_MAX_DISTANCE_M is flagged for the director."""

    def setUp(self):
        from decimal import Decimal

        self.facility = f.make_facility(self.world.a, latitude=Decimal("36.800000"), longitude=Decimal("118.050000"))

    def file(self, latitude):
        self.as_role("inspector")
        payload = {"facility": self.facility.pk, "filed_latitude": latitude, "filed_longitude": "118.050000"}
        response = self.client.post(reverse("api:inspectionreport-list"), payload, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        return response.json()

    def test_near_and_far(self):
        near = self.file("36.801000")  # 0.001 degree of latitude: 111 m
        far = self.file("36.810000")  # 1,112 m
        self.assertEqual((near["distance_m"], near["filed_far_away"]), (111, False))
        self.assertEqual((far["distance_m"], far["filed_far_away"]), (1112, True))
        listed = self.client.get(reverse("api:inspectionreport-list") + "?far_away=true")
        self.assertEqual(self.ids_in(listed), {str(far["id"])})

    def test_the_portal_form_stores_it_only_with_consent(self):
        from inspections.models import InspectionReport

        self.login("inspector")
        url = reverse("portal:inspections-report-new", args=[self.facility.pk])
        form = {"inspected_on": "2026-05-20", "severity": "none", "filed_latitude": "36.810000"}
        form["filed_longitude"] = "118.050000"
        for extra in ({}, {"share_position": "on"}):
            response = self.client.post(url, {**form, "draft": "1", **extra}, format="multipart")
            self.assertEqual(response.status_code, 302)
        without, with_consent = InspectionReport.objects.order_by("pk")
        self.assertEqual((without.filed_latitude, without.distance_m), (None, None))
        self.assertEqual((str(with_consent.filed_latitude), with_consent.distance_m), ("36.810000", 1112))
        self.login("director")
        detail = self.client.get(reverse("portal:inspections-report", args=[with_consent.pk]))
        self.assertEqual(detail.status_code, 404)  # a draft is its inspector's
        self.login("inspector")
        self.assertContains(
            self.client.get(reverse("portal:inspections-report", args=[with_consent.pk])), 'data-testid="far-away"'
        )


class GridPostsTest(WorldTestCase):
    """Workstations and contact points are inspectable facilities with their own standard-build
    checklist and cycle; a contact point holds equipment and reserves."""

    def test_their_checklists_cycles_and_reserves(self):
        from django.core.exceptions import ValidationError

        from inspections.models import MaterialStock

        a = self.world.a
        station = f.make_facility(a, kind="workstation", region=a.township, name=a.workstation.name)
        point = f.make_facility(a, kind="contact_point", name=a.contact_point.name)
        self.assertIn("staffing", [key for key, _label in station.checklist])
        self.assertIn("head", [key for key, _label in point.checklist])
        table = cycles.cycle_table()
        self.assertEqual(cycles.cycle_for(table, "workstation", a.township.code)[0], 6)
        self.assertEqual(cycles.cycle_for(table, "contact_point", a.village.code)[0], 3)
        rope = MaterialStock(facility=point, material_type="逃生绳", quantity=20, unit="根")
        rope.full_clean()
        works = f.make_facility(a)
        with self.assertRaises(ValidationError):
            MaterialStock(facility=works, material_type="逃生绳", quantity=20, unit="根").full_clean()

    def test_a_contact_points_head_in_the_api(self):
        point = self.world.a.contact_point
        point.head_name, point.head_title = "王某", "村党支部书记"
        point.save()
        self.as_role("director")
        body = self.client.get(reverse("api:contactpoint-detail", args=[point.pk])).json()
        self.assertEqual((body["head_name"], body["head_title"]), ("王某", "村党支部书记"))
