"""The loop in a real browser at a phone-sized viewport: the inspector logs in through the
portal, files a report with a photo; the director reviews it and issues a rectification order;
the daily sweep, run as on a later day, escalates the overdue order."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from inspections.models import InspectionMedia, InspectionReport, Rectification
from mobilization.models import IdempotencyKey, Notification
from mobilization.services import user_assign_role
from tests import factories as f
from tests.base import World
from tests.browser import PHONE, BrowserTestCase


@pytest.mark.browser
class InspectionLoopBrowserTest(BrowserTestCase):
    def setUp(self):
        self.world = World()
        self.facility = f.make_facility(self.world.a, kind="alarm_siren", name="第一社区防空警报器")

    def no_sideways_scroll(self, page):
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"])

    def test_inspector_files_director_orders_sweep_escalates(self):
        photo = f.jpeg_bytes(exif_gps=True)
        page = self.new_page(viewport=PHONE)
        self.log_in(page, "t_inspector")
        page.click("[data-testid=tile-inspections]")
        page.click("[data-testid=new-report]")
        page.click(f"[data-testid=facility-{self.facility.pk}]")
        page.wait_for_selector("form.report-form")
        self.no_sideways_scroll(page)
        items = page.locator(".checklist .item")
        for i in range(items.count()):
            items.nth(i).locator("input[value=ok]").check()
        items.nth(1).locator("input[value=defect]").check()  # the sound test failed
        page.fill("textarea[name=findings]", "鸣响试验声音微弱")
        page.select_option("select[name=severity]", "major")
        page.set_input_files(
            "input[name=files]", files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": photo}]
        )
        with page.expect_navigation():
            page.click("[data-testid=submit-report]")
        report = InspectionReport.objects.get()
        self.assertEqual((report.status, report.severity), ("submitted", "major"))
        self.assertEqual(report.checklist["sound_test"]["result"], "defect")
        # The photo shows on the report page, served through the protected URL.
        image = page.locator("[data-testid=report-media] img")
        image.wait_for()
        # Wait for it to load (a busy machine may take a moment); a broken image never does.
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=15000)
        self.assertEqual(page.errors, [], page.errors)

        director = self.new_page(viewport=PHONE)
        self.log_in(director, "t_director")
        director.click("[data-testid=tile-inspections]")
        director.click(f"[data-testid=awaiting-review] a >> text={self.facility.name}")
        director.wait_for_selector("[data-testid=issue-form]")
        self.no_sideways_scroll(director)
        deadline = timezone.localdate() + timedelta(days=7)
        director.fill("textarea[name=requirement]", "三日内检修功放，恢复鸣响")
        director.fill("input[name=deadline]", deadline.isoformat())
        with director.expect_navigation():
            director.click("[data-testid=issue-order]")
        order = Rectification.objects.get()
        self.assertEqual((order.status, order.deadline, order.report_id), ("issued", deadline, report.pk))
        self.assertIn("st-issued", director.locator("[data-testid=order-status]").get_attribute("class"))

        later = deadline + timedelta(days=1)
        call_command("sweep_overdue_rectifications", today=later.isoformat(), stdout=io.StringIO())
        order.refresh_from_db()
        self.assertEqual((order.status, order.escalation_level), ("overdue", 1))
        self.assertTrue(
            Notification.objects.filter(recipient=self.world.users["director"], kind="rectification_overdue").exists()
        )
        director.reload()
        self.assertTrue(director.locator("[data-testid=order-escalation]").is_visible())
        self.assertIn("overdue", director.locator("[data-testid=order-status]").get_attribute("class"))
        self.assertEqual(director.errors, [], director.errors)

    def test_unsent_entries_survive_a_dropped_connection(self):
        page = self.new_page(viewport=PHONE)
        self.log_in(page, "t_inspector")
        page.goto(f"{self.live_server_url}/portal/inspections/new/{self.facility.pk}/")
        page.locator(".checklist .item").nth(0).locator("input[value=defect]").check()
        page.fill("textarea[name=findings]", "备用电源未接通")
        page.context.set_offline(True)
        page.context.set_offline(False)
        page.reload()  # the page is lost (closed, reloaded) before anything was sent
        self.assertTrue(page.locator("#draft-restored").is_visible())
        self.assertEqual(page.input_value("textarea[name=findings]"), "备用电源未接通")
        self.assertTrue(page.locator(".checklist .item").nth(0).locator("input[value=defect]").is_checked())
        with page.expect_navigation():
            page.click("[data-testid=save-draft]")
        report = InspectionReport.objects.get()
        self.assertEqual((report.status, report.findings), ("draft", "备用电源未接通"))
        # Saved on the server: the phone's copy is dropped, the server's draft is shown.
        key = f"inspections:draft:u{self.world.users['inspector'].pk}:f{self.facility.pk}"
        self.assertIsNone(page.evaluate(f"localStorage.getItem('{key}')"))
        self.assertEqual(page.input_value("textarea[name=findings]"), "备用电源未接通")

    def test_a_report_filed_with_no_signal_is_sent_once_when_it_returns(self):
        """The basement: no signal, a report with a photo filed; the browser closed; the signal back:
        the server holds exactly one report with the photo, however often the phone sends it."""
        page = self.new_page(viewport=PHONE)
        context = page.context
        self.log_in(page, "t_inspector")
        page.goto(f"{self.live_server_url}/portal/inspections/new/{self.facility.pk}/")
        page.wait_for_selector("form.report-form")
        context.set_offline(True)
        items = page.locator(".checklist .item")
        for i in range(items.count()):
            items.nth(i).locator("input[value=ok]").check()
        page.fill("textarea[name=findings]", "地下室无信号，设备完好")
        page.set_input_files(
            "input[name=files]", files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": f.jpeg_bytes()}]
        )
        page.click("[data-testid=submit-report]")
        # Kept on the phone, and the inspector sees it waiting.
        page.wait_for_selector("[data-testid=outbox-entry][data-state=waiting]")
        self.assertEqual(page.locator("[data-testid=outbox-entry]").count(), 1)
        self.assertIn(self.facility.name, page.locator("[data-testid=outbox-entry]").inner_text())
        self.assertFalse(InspectionReport.objects.exists())
        self.no_sideways_scroll(page)
        page.close()  # the browser is closed in the basement

        context.set_offline(False)
        again = context.new_page()
        again.goto(f"{self.live_server_url}/portal/inspections/")
        again.wait_for_function("document.documentElement.getAttribute('data-outbox-sent') === '1'", timeout=20000)
        self.assertTrue(again.locator("[data-testid=outbox]").is_hidden())
        report = InspectionReport.objects.get()
        self.assertEqual((report.status, report.findings), ("submitted", "地下室无信号，设备完好"))
        self.assertEqual(report.media.count(), 1)
        self.assertEqual(report.media.get().kind, "photo")
        # Sent again (as a phone that never heard the answer would): still one report, one photo.
        status = again.evaluate(
            """async ([api, key, facility]) => {
                const body = new FormData();
                body.append("facility", facility);
                body.append("files", new Blob([new Uint8Array([255, 216, 255])], {type: "image/jpeg"}), "x.jpg");
                const csrf = document.querySelector("script[data-csrf]").getAttribute("data-csrf");
                const headers = {"X-CSRFToken": csrf, "Idempotency-Key": key};
                return (await fetch(api, {method: "POST", body, headers, credentials: "same-origin"})).status;
            }""",
            ["/api/v1/inspection-reports/", IdempotencyKey.objects.get().key, str(self.facility.pk)],
        )
        self.assertEqual(status, 201)  # the first answer again
        again.reload()
        self.assertEqual(InspectionReport.objects.count(), 1)
        self.assertEqual(InspectionMedia.objects.count(), 1)

    def test_a_refused_file_says_nothing_about_restored_entries(self):
        page = self.new_page(viewport=PHONE)
        self.log_in(page, "t_inspector")
        page.goto(f"{self.live_server_url}/portal/inspections/new/{self.facility.pk}/")
        page.fill("textarea[name=findings]", "警报器外壳锈蚀")
        page.set_input_files(
            "input[name=files]", {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo at all"}
        )
        with page.expect_navigation():
            page.click("[data-testid=save-draft]")
        self.assertFalse(InspectionReport.objects.exists())
        self.assertEqual(page.input_value("textarea[name=findings]"), "警报器外壳锈蚀")
        self.assertFalse(page.locator("#draft-restored").is_visible())

    def test_a_shared_phone_keeps_each_users_entries_apart(self):
        user_assign_role(
            username="t_inspector2", role="inspector", region=self.world.a.township, password=World.PASSWORD
        )
        page = self.new_page(viewport=PHONE)
        form = f"{self.live_server_url}/portal/inspections/new/{self.facility.pk}/"
        # Left on the phone by an earlier version, keyed by facility alone: nobody can tell whose.
        page.goto(f"{self.live_server_url}/portal/login/")
        page.evaluate(f"localStorage.setItem('inspections:draft:{self.facility.pk}', '{{\"values\":{{}}}}')")
        self.log_in(page, "t_inspector")
        page.goto(form)
        self.assertIsNone(page.evaluate(f"localStorage.getItem('inspections:draft:{self.facility.pk}')"))
        page.fill("textarea[name=findings]", "第一位网格员的记录")
        page.context.clear_cookies()  # the first user is gone; the phone and its storage stay
        self.log_in(page, "t_inspector2")
        page.goto(form)
        self.assertFalse(page.locator("#draft-restored").is_visible())
        self.assertEqual(page.input_value("textarea[name=findings]"), "")
        page.context.clear_cookies()
        self.log_in(page, "t_inspector")
        page.goto(form)
        self.assertTrue(page.locator("#draft-restored").is_visible())
        self.assertEqual(page.input_value("textarea[name=findings]"), "第一位网格员的记录")
