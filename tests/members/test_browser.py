"""The roster change round trip in a real browser: a liaison on a phone uploads a file with one bad
row, reads which row, column and why, fixes the file and submits it; office staff open the request
in the admin, read the diff and approve it; the person is then on the team's roster."""

import csv
import io

import pytest

from members import rosterfile
from members.models import Person, RosterChange
from mobilization.models import Notification
from tests.base import World, delivered_in_process, make_id_number
from tests.browser import PHONE, BrowserTestCase
from tests.factories import make_team


def roster_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _key, header in rosterfile.COLUMNS])
    for row in rows:
        writer.writerow([row.get(key, "") for key, _header in rosterfile.COLUMNS])
    return {"name": "花名册.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode("utf-8-sig")}


@pytest.mark.browser
class RosterUploadBrowserTest(BrowserTestCase):
    def setUp(self):
        self.enterContext(delivered_in_process())  # the import job runs here, whatever the broker
        self.world = World()
        self.team = make_team(self.world.a, name="张店区卫生健康局医疗救护队")

    def test_liaison_fixes_a_bad_row_and_office_approves(self):
        good = make_id_number(11, birth="19880808")
        other = make_id_number(12, birth="19900505")
        wrong = other[:17] + ("1" if other[17] != "1" else "2")  # one mistyped check digit
        rows = [
            {"action": "新增", "team": self.team.name, "name": "王磊", "id_number": good, "phone": "13912345678"},
            {"action": "新增", "team": self.team.name, "name": "刘娟", "id_number": wrong},
        ]

        page = self.new_page(viewport=PHONE)
        self.log_in(page, "t_unit")
        page.click("[data-testid=tile-members-upload]")
        page.set_input_files("input[name=file]", roster_csv(rows))
        with page.expect_navigation():
            page.click("[data-testid=submit-upload]")
        error = page.locator("[data-testid=row-error]")
        self.assertEqual(error.count(), 1)
        cells = error.locator("td").all_inner_texts()
        self.assertEqual(cells[:2], ["3", "公民身份号码"])
        self.assertFalse(RosterChange.objects.exists())

        rows[1]["id_number"] = other
        page.set_input_files("input[name=file]", roster_csv(rows))
        with page.expect_navigation():
            page.click("[data-testid=submit-upload]")
        change = RosterChange.objects.get()
        self.assertIn(f"/portal/members/changes/{change.pk}/", page.url)
        self.assertIn("刘娟", page.inner_text("[data-testid=diff]"))
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"] + 1)

        admin = self.new_page()
        self.log_in(admin, "t_office", at="/admin/login/", next_url=f"/admin/members/rosterchange/{change.pk}/change/")
        diff = admin.inner_text("[data-testid=diff]")
        self.assertIn("王磊", diff)
        self.assertIn("刘娟", diff)
        with admin.expect_navigation():
            admin.click("[data-testid=approve]")
        change.refresh_from_db()
        self.assertEqual(change.status, "approved")
        self.assertEqual(
            set(Person.objects.filter(memberships__team=self.team).values_list("name", flat=True)), {"王磊", "刘娟"}
        )
        self.assertTrue(Notification.objects.filter(recipient__username="t_unit", kind="roster_change").exists())

        page.reload()
        self.assertIn(str(change.get_status_display()), page.inner_text("[data-testid=change-status]"))


@pytest.mark.browser
class RosterImportProgressBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.enterContext(delivered_in_process())  # the import job runs here, whatever the broker

    def test_the_progress_bar_follows_the_job_and_the_page_turns_into_the_request(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from members.services import roster_import_run, roster_import_start
        from mobilization import jobs

        world = World()
        team = make_team(world.a, name="张店区应急抢险队")
        rows = [
            {"action": "新增", "team": team.name, "name": f"王{i}", "id_number": make_id_number(20 + i)}
            for i in range(3)
        ]
        upload = roster_csv(rows)
        job_id = roster_import_start(by=world.users["unit"], upload=SimpleUploadedFile("花名册.csv", upload["buffer"]))
        page = self.new_page(viewport=PHONE)
        self.log_in(page, "t_unit")
        page.goto(f"{self.live_server_url}/portal/members/changes/imports/{job_id}/")
        self.assertIn("等待开始", page.inner_text("[data-testid=import-state]"))
        self.assertTrue(page.is_visible("[data-testid=import-bar]"))

        jobs.job_progress(job_id, state="running", stage="checking", done=2, total=3)
        page.wait_for_selector("[data-testid=import-state]:has-text('正在校验各行 2/3')")
        self.assertEqual(page.get_attribute("[data-testid=import-bar]", "value"), "2")

        jobs.job_progress(job_id, state="queued", done=0, total=0)
        roster_import_run(job_id=job_id)
        change = RosterChange.objects.get()
        page.wait_for_url(f"**/portal/members/changes/{change.pk}/")
        self.assertEqual(change.items.count(), 3)
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"] + 1)
        self.assertEqual(page.errors, [])
