"""The statistics models in the admin: the workflow actions call the services, with their rules."""

import datetime

from django.urls import reverse

from reporting import services
from reporting.choices import ReportStatusChoices
from reporting.models import StatisticsReport
from tests.base import WorldTestCase

from .data import MARCH, build


class ReportAdminActionsTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build(cls.world)
        office = cls.world.users["office"]
        cls.report = services.statistics_report_prepare(
            office=cls.world.a.office, period_kind="monthly", period_start=MARCH[0], by=office
        )
        services.statistics_report_submit(report=cls.report, by=office)
        cls.other = services.statistics_report_prepare(
            office=cls.world.a.office, period_kind="monthly", period_start=datetime.date(2025, 4, 1), by=office
        )

    def act(self, action, *reports):
        url = reverse("admin:reporting_statisticsreport_changelist")
        return self.client.post(
            url,
            {"action": action, "index": 0, "_selected_action": [r.pk for r in reports]},
            format="multipart",
            follow=True,
        )

    def status(self, report):
        report.refresh_from_db()
        return report.status

    def test_the_city_office_approves_only_what_was_submitted(self):
        self.login("city_office")
        self.act("report_approve", self.report, self.other)
        self.assertEqual(self.status(self.report), ReportStatusChoices.APPROVED)
        self.assertEqual(self.status(self.other), ReportStatusChoices.DRAFT)  # a draft is refused

    def test_the_district_office_submits_but_cannot_approve(self):
        self.login("office")
        response = self.act("report_approve", self.report)
        self.assertEqual(self.status(self.report), ReportStatusChoices.SUBMITTED)
        self.assertEqual([m.level_tag for m in response.context["messages"]], ["error"])
        self.act("report_submit", self.other)
        self.assertEqual(self.status(self.other), ReportStatusChoices.SUBMITTED)

    def test_reports_are_not_edited_by_hand(self):
        self.login("city_office")
        change = reverse("admin:reporting_statisticsreport_change", args=[self.report.pk])
        self.client.post(change, {"remarks": "改"}, format="multipart")
        self.assertEqual(StatisticsReport.objects.get(pk=self.report.pk).remarks, self.report.remarks)
        self.login("city_office")
        self.assertEqual(self.client.get(reverse("admin:reporting_statisticssnapshot_changelist")).status_code, 200)


class ReportAdminCycleTest(WorldTestCase):
    """Prepare, edit remarks, return with a reason: the whole cycle in the admin, through the services."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build(cls.world)

    def prepare(self, day=MARCH[0], **fields):
        return self.client.post(
            reverse("admin:reporting_statisticsreport_add"),
            {"office": self.world.a.office.pk, "period_kind": "monthly", "period_start": day, "remarks": "", **fields},
            format="multipart",
        )

    def submitted(self):
        office = self.world.users["office"]
        report = services.statistics_report_prepare(
            office=self.world.a.office, period_kind="monthly", period_start=MARCH[0], by=office
        )
        return services.statistics_report_submit(report=report, by=office)

    def test_the_district_office_prepares_a_report_from_any_day_in_the_period(self):
        self.login("office")
        response = self.prepare(day=datetime.date(2025, 3, 17), remarks="三月")
        self.assertEqual(response.status_code, 302)
        report = StatisticsReport.objects.get(office=self.world.a.office)
        self.assertEqual((report.period_start, report.period_end), MARCH)
        self.assertEqual((report.status, report.remarks), (ReportStatusChoices.DRAFT, "三月"))
        self.assertTrue(report.figures["sections"])  # computed by the service
        # The same period again is refused on the form, not with an error page.
        self.assertEqual(self.prepare().status_code, 200)
        self.assertEqual(StatisticsReport.objects.count(), 1)

    def test_an_office_prepares_only_its_own_reports(self):
        self.login("city_office")
        response = self.prepare()
        self.assertEqual(response.status_code, 200)  # the district office is not among the choices
        self.assertFalse(StatisticsReport.objects.exists())

    def test_remarks_are_edited_while_draft_or_returned_and_approval_locks(self):
        report = self.submitted()
        change = reverse("admin:reporting_statisticsreport_change", args=[report.pk])
        self.login("office")
        self.assertNotContains(self.client.get(change), 'name="remarks"')  # awaiting a decision
        self.login("city_office")
        services.statistics_report_return(report=report, by=self.world.users["city_office"], reason="缺少数据")
        self.login("office")
        self.assertContains(self.client.get(change), 'name="remarks"')
        response = self.client.post(change, {"remarks": "已补充"}, format="multipart")
        self.assertEqual(response.status_code, 302)
        report.refresh_from_db()
        self.assertEqual((report.remarks, report.status), ("已补充", ReportStatusChoices.RETURNED))
        services.statistics_report_submit(report=report, by=self.world.users["office"])
        services.statistics_report_approve(report=report, by=self.world.users["city_office"])
        page = self.client.get(change)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="remarks"')
        self.assertEqual(self.client.post(change, {"remarks": "改"}, format="multipart").status_code, 403)
        delete = reverse("admin:reporting_statisticsreport_delete", args=[report.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}, format="multipart").status_code, 403)
        report.refresh_from_db()
        self.assertEqual((report.remarks, report.status), ("已补充", ReportStatusChoices.APPROVED))

    def test_return_with_a_reason_asks_for_it_first(self):
        report = self.submitted()
        url = reverse("admin:reporting_statisticsreport_changelist")
        selection = {"action": "return_reports", "index": 0, "_selected_action": [report.pk]}
        self.login("city_office")
        page = self.client.post(url, selection, format="multipart")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'name="reason"')
        self.assertEqual(self.status(report), ReportStatusChoices.SUBMITTED)
        # The confirmation page posts without "index", as Django's delete confirmation does.
        confirm = {"action": "return_reports", "_selected_action": [report.pk], "apply": "1"}
        self.assertContains(self.client.post(url, {**confirm, "reason": " "}, format="multipart"), 'name="reason"')
        self.assertEqual(self.status(report), ReportStatusChoices.SUBMITTED)
        response = self.client.post(url, {**confirm, "reason": "数据有误"}, format="multipart", follow=True)
        self.assertEqual(response.status_code, 200)
        report.refresh_from_db()
        self.assertEqual((report.status, report.return_reason), (ReportStatusChoices.RETURNED, "数据有误"))

    def test_the_district_office_cannot_return_its_own_report(self):
        report = self.submitted()
        self.login("office")
        url = reverse("admin:reporting_statisticsreport_changelist")
        confirm = {"action": "return_reports", "_selected_action": [report.pk], "apply": "1", "reason": "x"}
        response = self.client.post(url, confirm, format="multipart", follow=True)
        self.assertEqual([m.level_tag for m in response.context["messages"]], ["error"])
        self.assertEqual(self.status(report), ReportStatusChoices.SUBMITTED)

    def status(self, report):
        report.refresh_from_db()
        return report.status


class YearStatusAdminTest(WorldTestCase):
    def test_the_office_sets_a_units_phase_and_the_section_counts_it(self):
        from reporting.models import MemberUnitYearStatus
        from reporting.sections import compute_section

        self.login("office")
        unit = self.world.a.unit
        add = reverse("admin:reporting_memberunityearstatus_add")
        row = {"unit": unit.pk, "year": 2025, "phase": "plan", "status": "submitted", "note": ""}
        self.assertEqual(self.client.post(add, row, format="multipart").status_code, 302)
        status = MemberUnitYearStatus.objects.get(unit=unit, year=2025, phase="plan")
        self.assertEqual(status.status, "submitted")
        change = reverse("admin:reporting_memberunityearstatus_change", args=[status.pk])
        response = self.client.post(change, {"status": "accepted", "note": "已验收"}, format="multipart")
        self.assertEqual(response.status_code, 302)
        status.refresh_from_db()
        self.assertEqual((status.status, status.note), ("accepted", "已验收"))
        section = compute_section("member_unit_year_status", self.world.a.county.prefix, *MARCH)
        plan = section["rows"][0]
        self.assertEqual(plan[4], 1)  # accepted
        # The action marks rows through the same service.
        changelist = reverse("admin:reporting_memberunityearstatus_changelist")
        self.client.post(
            changelist,
            {"action": "mark_submitted", "index": 0, "_selected_action": [status.pk]},
            format="multipart",
        )
        status.refresh_from_db()
        self.assertEqual(status.status, "submitted")

    def test_a_liaison_cannot_set_it(self):
        from reporting.models import MemberUnitYearStatus

        self.login("unit")
        add = reverse("admin:reporting_memberunityearstatus_add")
        row = {"unit": self.world.a.unit.pk, "year": 2025, "phase": "plan", "status": "accepted", "note": ""}
        response = self.client.post(add, row, format="multipart")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("admin:login")))  # not an admin role
        self.login("liaison")  # reads the statuses, sets none
        self.assertEqual(self.client.post(add, row, format="multipart").status_code, 403)
        self.assertFalse(MemberUnitYearStatus.objects.exists())


class ReportAdminRefusalsTest(WorldTestCase):
    """Roles without the right to prepare or decide on reports get nowhere in the admin."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build(cls.world)
        office = cls.world.users["office"]
        report = services.statistics_report_prepare(
            office=cls.world.a.office, period_kind="monthly", period_start=MARCH[0], by=office
        )
        cls.report = services.statistics_report_submit(report=report, by=office)

    def test_a_view_only_role_neither_prepares_nor_returns(self):
        self.login("liaison")  # the military liaison reads the reports, no more
        changelist = reverse("admin:reporting_statisticsreport_changelist")
        page = self.client.get(changelist)
        self.assertEqual(page.status_code, 200)
        for action in ("report_submit", "report_approve", "return_reports"):
            self.assertNotContains(page, f'value="{action}"')
        add = reverse("admin:reporting_statisticsreport_add")
        row = {"office": self.world.a.office.pk, "period_kind": "monthly", "period_start": MARCH[0], "remarks": ""}
        self.assertEqual(
            self.client.post(add, {**row, "period_start": "2025-04-01"}, format="multipart").status_code, 403
        )
        confirm = {"action": "return_reports", "_selected_action": [self.report.pk], "apply": "1", "reason": "x"}
        self.client.post(changelist, confirm, format="multipart", follow=True)
        self.report.refresh_from_db()
        self.assertEqual((self.report.status, self.report.return_reason), (ReportStatusChoices.SUBMITTED, ""))
        self.assertEqual(StatisticsReport.objects.count(), 1)

    def test_a_portal_role_does_not_reach_the_reports(self):
        self.login("unit")  # a member unit's liaison works in the portal, not the admin
        for url in (
            reverse("admin:reporting_statisticsreport_changelist"),
            reverse("admin:reporting_statisticsreport_add"),
            reverse("admin:reporting_statisticsreport_change", args=[self.report.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("admin:login")))
