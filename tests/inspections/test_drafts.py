"""A draft report is its inspector's unfinished work: until it is submitted, no one else (but a
superuser) reaches it or its photos, in the API, the portal, the protected file view or the admin."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from inspections.models import InspectionMedia, InspectionReport, Rectification
from tests import factories as f
from tests.base import WorldTestCase

OTHERS = ("director", "office", "city_office", "liaison")
ADMIN_OTHERS = ("director", "office", "liaison")  # the grid's other roles with an admin login


class DraftScopeTest(WorldTestCase):
    def setUp(self):
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.inspector = self.world.users["inspector"]
        self.draft = f.make_report(self.world.a, self.inspector, status="draft", findings="未完成的草稿")
        self.photo = f.add_media(InspectionMedia, None, self.inspector, report=self.draft)

    def urls(self):
        """What opens the draft or its photo: the API (detail, file), the portal page and the file view."""
        return {
            "api report": reverse("api:inspectionreport-detail", args=[self.draft.pk]),
            "api media": reverse("api:inspectionmedia-detail", args=[self.photo.pk]),
            "api file": reverse("api:inspectionmedia-download", args=[self.photo.pk]),
            "portal report": reverse("portal:inspections-report", args=[self.draft.pk]),
            "portal file": reverse("portal:inspections-media", args=[self.photo.pk]),
        }

    def listed(self):
        """Whether the API lists of reports and of media show the draft and its photo."""
        reports = self.client.get(reverse("api:inspectionreport-list") + "?page_size=500")
        media = self.client.get(reverse("api:inspectionmedia-list") + "?page_size=500")
        return str(self.draft.pk) in self.ids_in(reports), str(self.photo.pk) in self.ids_in(media)

    def test_others_hear_404_and_do_not_see_it_listed(self):
        for role in OTHERS:
            with self.subTest(role=role):
                self.as_role(role)
                self.client.force_login(self.world.users[role])
                for name, url in self.urls().items():
                    self.assertEqual(self.client.get(url).status_code, 404, name)
                self.assertEqual(self.listed(), (False, False))

    def test_others_can_neither_change_nor_delete_it(self):
        url = reverse("api:inspectionreport-detail", args=[self.draft.pk])
        self.as_role("office")  # office staff may change and delete reports: their own, not this one
        self.assertEqual(self.client.patch(url, {"findings": "改写"}, format="json").status_code, 404)
        self.assertEqual(self.client.delete(url).status_code, 404)
        self.assertEqual(self.client.post(url + "submit/").status_code, 404)
        self.draft.refresh_from_db()
        self.assertEqual((self.draft.status, self.draft.findings), ("draft", "未完成的草稿"))

    def test_the_inspector_sees_their_own_draft(self):
        self.as_role("inspector")
        self.client.force_login(self.inspector)
        for name, url in self.urls().items():
            self.assertEqual(self.client.get(url).status_code, 200, name)
        self.assertEqual(self.listed(), (True, True))
        home = self.client.get(reverse("portal:inspections-home"))
        self.assertContains(home, reverse("portal:inspections-report-edit", args=[self.draft.pk]))

    def test_a_superuser_sees_it(self):
        self.as_role("root")
        self.assertEqual(self.client.get(self.urls()["api report"]).status_code, 200)
        self.assertEqual(self.listed(), (True, True))

    def test_once_submitted_it_is_the_offices_business(self):
        self.draft.checklist = {key: {"result": "ok"} for key, _label in self.draft.facility.checklist}
        self.draft.save()
        self.as_role("inspector")
        response = self.client.post(self.urls()["api report"] + "submit/")
        self.assertEqual(response.status_code, 200, response.content)
        for role in OTHERS:
            with self.subTest(role=role):
                self.as_role(role)
                self.client.force_login(self.world.users[role])
                for name, url in self.urls().items():
                    self.assertEqual(self.client.get(url).status_code, 200, name)
                self.assertEqual(self.listed(), (True, True))
        self.client.force_login(self.world.users["director"])
        self.assertContains(self.client.get(reverse("portal:inspections-home")), self.urls()["portal report"])

    def test_the_directors_home_leaves_it_out(self):
        self.client.force_login(self.world.users["director"])
        self.assertNotContains(self.client.get(reverse("portal:inspections-home")), self.urls()["portal report"])


class DraftAdminTest(WorldTestCase):
    def setUp(self):
        inspector = self.world.users["inspector"]
        self.draft = f.make_report(self.world.a, inspector, status="draft")
        self.photo = f.add_media(InspectionMedia, None, inspector, report=self.draft)
        self.filed = f.make_report(self.world.a, inspector)

    def test_admin_changelists_and_pages_leave_it_out(self):
        report_changes = reverse("admin:inspections_inspectionreport_changelist")
        media_changes = reverse("admin:inspections_inspectionmedia_changelist")
        for role in ADMIN_OTHERS:
            with self.subTest(role=role):
                self.login(role)
                page = self.client.get(report_changes)
                self.assertEqual(page.status_code, 200)
                self.assertEqual([r.pk for r in page.context["cl"].result_list], [self.filed.pk])
                self.assertNotIn(self.photo, self.client.get(media_changes).context["cl"].result_list)
                for obj in (self.draft, self.photo):
                    url = reverse(f"admin:inspections_{obj._meta.model_name}_change", args=[obj.pk])
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(self.client.get(url.replace("/change/", "/history/")).status_code, 404)

    def test_no_order_from_the_admin_on_someone_elses_draft(self):
        self.login("office")
        response = self.client.post(
            reverse("admin:inspections_rectification_add"),
            {
                "report": self.draft.pk,
                "facility": self.draft.facility.pk,
                "requirement": "整改",
                "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
                "evidence-TOTAL_FORMS": "0",
                "evidence-INITIAL_FORMS": "0",
            },
            format="multipart",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("report", response.context["adminform"].form.errors)
        self.assertFalse(Rectification.objects.exists())
        self.assertEqual(InspectionReport.objects.get(pk=self.draft.pk).status, "draft")
