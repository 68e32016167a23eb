"""A roster import runs as a job (mobilization.jobs): the upload is checked and kept privately,
the task reports its progress, the owner's page and status endpoint follow it, and the result (the
change request, or every bad row) shows when it ends. Celery runs eagerly here: the task finishes
inside the upload request, as it does in development."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from members import rosterfile
from members.models import RosterChange, RosterChangeItem
from members.services import IMPORT_TASK, roster_import_run, roster_import_start
from members.services.roster_imports import IMPORT_FOLDER
from mobilization import jobs
from tests.base import WorldTestCase, delivered_in_process
from tests.factories import make_team, new_id_number

HEADERS = [header for _key, header in rosterfile.COLUMNS]


def workbook(rows, name="roster.xlsx"):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADERS)
    for row in rows:
        ws.append([row.get(key, "") for key, _header in rosterfile.COLUMNS])
    return SimpleUploadedFile(name, rosterfile.workbook_bytes(wb))


def kept_files():
    return default_storage.listdir(IMPORT_FOLDER)[1] if default_storage.exists(IMPORT_FOLDER) else []


class RosterImportJobTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.team = make_team(cls.world.a, name="张店区应急抢险队")

    def setUp(self):
        self.enterContext(delivered_in_process())  # the import job runs here, whatever the broker
        self.user = self.world.users["unit"]
        self.enterContext(translation.override("zh-hans"))

    def add(self, **values):
        return {"action": "新增", "team": self.team.name, "name": "王强", "id_number": new_id_number(), **values}

    def status(self, job_id):
        return self.client.get(reverse("portal:job-status", args=[job_id]))

    def test_ten_thousand_rows_through_the_portal_show_progress_and_end_in_one_request(self):
        self.login("unit")
        upload = workbook([self.add() for _ in range(10_000)])
        response = self.client.post(reverse("portal:members-upload"), {"file": upload}, format="multipart")
        job_url = response.url
        job_id = job_url.rstrip("/").rsplit("/", 1)[-1]
        self.assertEqual(job_url, reverse("portal:members-import", args=[job_id]))
        status = self.status(job_id).json()
        self.assertEqual(
            {k: status[k] for k in ("task", "state", "done", "total", "stage")},
            {"task": IMPORT_TASK, "state": "done", "done": 10_000, "total": 10_000, "stage": "saving"},
        )
        change = RosterChange.objects.get()
        self.assertEqual(RosterChangeItem.objects.filter(change=change).count(), 10_000)
        self.assertEqual((change.submitted_by, change.file_name), (self.user, "roster.xlsx"))
        page = self.client.get(job_url, follow=True)
        self.assertEqual(page.redirect_chain[-1][0], reverse("portal:members-change", args=[change.pk]))
        self.assertContains(page, f"#{change.pk}")
        self.assertEqual(kept_files(), [], "the kept upload is deleted once read")

    def test_a_queued_import_shows_a_progress_bar_that_polls_its_status(self):
        job_id = roster_import_start(by=self.user, upload=workbook([self.add()]))
        self.assertEqual(len(kept_files()), 1, "kept in private storage until the task reads it")
        self.login("unit")
        page = self.client.get(reverse("portal:members-import", args=[job_id]))
        self.assertContains(page, 'data-testid="import-bar"')
        self.assertContains(page, f'data-job-status="{reverse("portal:job-status", args=[job_id])}"')
        self.assertContains(page, "jobs/progress.js")
        self.assertEqual(self.status(job_id).json()["state"], "queued")
        jobs.job_progress(job_id, state="running", stage="checking", done=500, total=1000)
        self.assertContains(self.client.get(reverse("portal:members-import", args=[job_id])), "500/1000")
        jobs.job_progress(job_id, state="queued", done=0, total=0)
        roster_import_run(job_id=job_id)
        self.assertEqual(self.status(job_id).json()["state"], "done")
        self.assertEqual(RosterChange.objects.count(), 1)
        self.assertEqual(kept_files(), [])

    def test_bad_rows_are_listed_and_nothing_is_kept(self):
        self.login("unit")
        rows = [self.add(), self.add(team="没有这个队"), self.add()]
        response = self.client.post(reverse("portal:members-upload"), {"file": workbook(rows)}, format="multipart")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="row-error"', count=1)
        self.assertContains(response, "<td>3</td><td>队伍名称</td>", html=False)
        self.assertFalse(RosterChange.objects.exists())
        self.assertFalse(RosterChangeItem.objects.exists())
        self.assertEqual(kept_files(), [])

    def test_the_job_page_of_a_failed_import_lists_the_rows_and_offers_the_form(self):
        job_id = roster_import_start(by=self.user, upload=workbook([self.add(id_number="123")]))
        roster_import_run(job_id=job_id)
        self.login("unit")
        page = self.client.get(reverse("portal:members-import", args=[job_id]))
        self.assertContains(page, 'data-testid="row-error"', count=1)
        self.assertContains(page, 'data-testid="submit-upload"')
        self.assertEqual(self.status(job_id).json()["state"], "failed")

    def test_a_file_of_the_wrong_type_is_refused_before_it_is_kept(self):
        self.login("unit")
        png = SimpleUploadedFile("roster.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        response = self.client.post(reverse("portal:members-upload"), {"file": png}, format="multipart")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        self.assertEqual(kept_files(), [])

    def test_another_user_cannot_read_the_job(self):
        job_id = roster_import_start(by=self.user, upload=workbook([self.add()]))
        for role in ("office", "liaison", "director"):
            with self.subTest(role=role):
                self.login(role)
                self.assertEqual(self.status(job_id).status_code, 404)
        self.login("office")
        self.assertEqual(
            self.client.get(reverse("admin:members_rosterchange_import_job", args=[job_id])).status_code, 404
        )
        self.client.logout()
        self.assertEqual(self.status(job_id).status_code, 302)  # to the login page
        self.login("unit")
        self.assertEqual(self.status(job_id).status_code, 200)

    def test_office_imports_through_the_admin_with_the_same_job(self):
        self.login("office")
        url = reverse("admin:members_rosterchange_import")
        upload = workbook([self.add(), self.add()])
        response = self.client.post(url, {"file": upload, "unit": self.world.a.unit.pk}, format="multipart")
        job_id = response.url.rstrip("/").rsplit("/", 1)[-1]
        self.assertEqual(response.url, reverse("admin:members_rosterchange_import_job", args=[job_id]))
        self.assertEqual(self.status(job_id).json()["state"], "done")
        page = self.client.get(response.url, follow=True)
        change = RosterChange.objects.get()
        self.assertEqual(page.redirect_chain[-1][0], reverse("admin:members_rosterchange_change", args=[change.pk]))
        self.assertEqual(change.items.count(), 2)

    def test_uploads_whose_job_expired_unread_are_purged(self):
        import os
        from datetime import timedelta

        from django.utils import timezone

        from members.services import roster_imports_purge

        old = jobs.job_progress(roster_import_start(by=self.user, upload=workbook([self.add()])))["path"]
        fresh = jobs.job_progress(roster_import_start(by=self.user, upload=workbook([self.add()])))["path"]
        stale = (timezone.now() - timedelta(seconds=jobs.JOB_TTL + 60)).timestamp()
        os.utime(default_storage.path(old), (stale, stale))
        self.assertEqual(roster_imports_purge(), 1)
        self.assertEqual(sorted(kept_files()), [fresh.rsplit("/", 1)[-1]])
