"""Statistics one can open: a report's page shows its figures, offers its workbook and submits;
a snapshot's page links its workbook where it can be downloaded; the dashboard links both ways."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from mobilization.choices import AuditActionChoices
from mobilization.models import AuditEvent
from reporting import services
from reporting.choices import ReportStatusChoices
from reporting.models import StatisticsReport
from tests.base import WorldTestCase

from .data import MARCH, build


class ReportPagesTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build(cls.world)
        cls.report = services.statistics_report_prepare(
            office=cls.world.a.office, period_kind="monthly", period_start=MARCH[0], by=cls.world.users["office"]
        )

    def change_url(self, report=None):
        return reverse("admin:reporting_statisticsreport_change", args=[(report or self.report).pk])

    def test_the_report_page_shows_its_figures_and_workbook(self):
        self.login("office")
        html = self.client.get(self.change_url()).content.decode()
        self.assertIn('data-testid="figures"', html)
        teams = next(s for s in self.report.figures["sections"] if s["key"] == "teams_by_level")
        self.assertIn(f"<summary>{teams['title']}</summary>", html)
        workbook = reverse("admin:reporting_statisticsreport_workbook", args=[self.report.pk])
        self.assertIn(f'href="{workbook}"', html)
        response = self.client.get(workbook)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            AuditEvent.objects.filter(
                action=AuditActionChoices.EXPORT,
                object_id=str(self.report.pk),
                object_type=StatisticsReport._meta.label,
            ).exists()
        )
        cover = load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = [[c.value for c in row] for row in cover.iter_rows()]
        headline = [item for s in self.report.figures["sections"] for item in s.get("headline", [])]
        self.assertGreater(len(headline), 0)
        self.assertIn(["主要指标", None], rows)
        for item in headline:
            self.assertIn([item["label"], "—" if item["value"] is None else item["value"]], rows)

    def test_the_workbook_is_out_of_reach_outside_scope(self):
        self.login("office")
        other = services.statistics_report_prepare(
            office=self.world.b.office, period_kind="monthly", period_start=MARCH[0], by=self.world.superuser
        )
        url = reverse("admin:reporting_statisticsreport_workbook", args=[other.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_submitted_from_its_page(self):
        self.login("office")
        self.assertContains(self.client.get(self.change_url()), 'data-testid="report-submit"')
        response = self.client.post(
            self.change_url(), {"remarks": "按期报送", "_submit_report": "1"}, format="multipart", follow=True
        )
        self.assertEqual(response.status_code, 200)
        self.report.refresh_from_db()
        self.assertEqual((self.report.status, self.report.remarks), (ReportStatusChoices.SUBMITTED, "按期报送"))
        # Submitted, the page is read-only and offers no second submit.
        self.assertNotContains(self.client.get(self.change_url()), 'data-testid="report-submit"')

    def test_the_snapshot_page_links_a_download_that_works(self):
        # Made in the test: each test has its own media folder.
        self.snapshot, _ = services.snapshot_take(region=self.world.a.county, kind="monthly", period_start=MARCH[0])
        self.login("office")
        html = self.client.get(
            reverse("admin:reporting_statisticssnapshot_change", args=[self.snapshot.pk])
        ).content.decode()
        self.assertNotIn("/protected-media/", html)
        download = reverse("api:statisticssnapshot-download", args=[self.snapshot.pk])
        self.assertIn(f'href="{download}"', html)
        self.assertIn('data-testid="figures"', html)
        self.assertEqual(self.client.get(download).status_code, 200)
        listed = self.client.get(reverse("admin:reporting_statisticssnapshot_changelist")).content.decode()
        self.assertIn(f'href="{download}"', listed)

    def test_the_dashboard_links_each_report_and_the_admin(self):
        self.login("office")
        html = self.client.get(reverse("dashboard:index"), {"date": "2025-03-15"}).content.decode()
        self.assertIn(f'href="{self.change_url()}"', html)
        self.assertIn(f'href="{reverse("admin:index")}"', html)

    def test_the_superior_is_sent_to_the_reports_page(self):
        services.statistics_report_submit(report=self.report, by=self.world.users["office"])
        from mobilization.models import Notification

        note = Notification.objects.get(recipient=self.world.users["city_office"], kind="statistics_report_submitted")
        self.assertEqual(note.url, self.change_url())
        self.assertEqual(StatisticsReport.objects.get(pk=self.report.pk).status, ReportStatusChoices.SUBMITTED)
