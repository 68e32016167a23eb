"""The statistics models in the admin: the workflow actions call the services, with their rules."""

import datetime

from django.urls import reverse

from mobilization.models import StatisticsReport
from mobilization.statistics import services
from mobilization.statistics.choices import ReportStatusChoices
from tests.base import WorldTestCase

from .data import MARCH, build


class ReportAdminActionsTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build(cls.world)
        office = cls.world.users["office"]
        cls.report = services.report_prepare(
            office=cls.world.a.office, period_kind="monthly", period_start=MARCH[0], by=office
        )
        services.report_submit(report=cls.report, by=office)
        cls.other = services.report_prepare(
            office=cls.world.a.office, period_kind="monthly", period_start=datetime.date(2025, 4, 1), by=office
        )

    def act(self, action, *reports):
        url = reverse("admin:mobilization_statisticsreport_changelist")
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
        change = reverse("admin:mobilization_statisticsreport_change", args=[self.report.pk])
        self.client.post(change, {"remarks": "改"}, format="multipart")
        self.assertEqual(StatisticsReport.objects.get(pk=self.report.pk).remarks, self.report.remarks)
        self.login("city_office")
        self.assertEqual(self.client.get(reverse("admin:mobilization_statisticssnapshot_changelist")).status_code, 200)
