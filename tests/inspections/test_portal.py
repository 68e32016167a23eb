"""The phone portal: what each grid role reaches (everything else 404), drafts that are kept
until submitted, and the director's rectification steps, all through the services."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from inspections.models import InspectionReport, Rectification, RectificationEvidence
from tests.base import WorldTestCase

from . import factories as f

SIREN_ITEMS = ("power", "sound_test", "housing", "control", "access")


class PortalScopeTest(WorldTestCase):
    def setUp(self):
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        inspector = self.world.users["inspector"]
        self.inside, self.outside = f.make_facility(self.world.a), f.make_facility(self.world.b)
        self.report_in = f.make_report(self.world.a, inspector, facility=self.inside)
        self.report_out = f.make_report(self.world.b, inspector, facility=self.outside)
        self.order_in = f.make_order(self.world.a, inspector, report=self.report_in)
        self.order_out = f.make_order(self.world.b, inspector, report=self.report_out)

    def test_the_inspector_picks_only_facilities_of_their_grid(self):
        self.login("inspector")
        page = self.client.get(reverse("portal:inspections-facilities"))
        self.assertContains(page, self.inside.name)
        self.assertNotContains(page, self.outside.name)
        self.assertEqual(
            self.client.get(reverse("portal:inspections-report-new", args=[self.outside.pk])).status_code, 404
        )

    def test_out_of_scope_pages_answer_404(self):
        pages = [
            ("portal:inspections-report", self.report_out.pk),
            ("portal:inspections-rectification", self.order_out.pk),
        ]
        for role in ("director", "office"):
            self.login(role)
            for name, pk in pages:
                with self.subTest(role=role, page=name):
                    self.assertEqual(self.client.get(reverse(name, args=[pk])).status_code, 404)
        self.login("director")
        step = reverse("portal:inspections-rectification-step", args=[self.order_out.pk, "verify"])
        self.assertEqual(self.client.post(step, {"note": "x"}).status_code, 404)

    def test_the_director_sees_the_township_and_the_inspector_only_their_own(self):
        other = f.make_report(self.world.a, self.world.users["director"], findings="另一网格员的报告")
        self.login("director")
        self.assertEqual(self.client.get(reverse("portal:inspections-report", args=[other.pk])).status_code, 200)
        self.login("inspector")
        self.assertEqual(self.client.get(reverse("portal:inspections-report", args=[other.pk])).status_code, 404)


class PortalFlowTest(WorldTestCase):
    def setUp(self):
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.facility = f.make_facility(self.world.a, kind="alarm_siren")

    def form(self, **answers):
        data = {"inspected_on": timezone.localdate().isoformat(), "findings": "喇叭锈蚀", "severity": "minor"}
        data.update({f"item_{k}": v for k, v in answers.items()})
        return data

    def test_a_draft_is_kept_until_it_is_submitted_complete(self):
        self.login("inspector")
        url = reverse("portal:inspections-report-new", args=[self.facility.pk])
        response = self.client.post(url, {**self.form(power="ok"), "draft": "1", "files": [f.photo_upload()]},
                                    format="multipart")  # fmt: skip
        report = InspectionReport.objects.get()
        self.assertRedirects(response, reverse("portal:inspections-report-edit", args=[report.pk]) + "?saved=1")
        self.assertEqual((report.status, report.checklist), ("draft", {"power": {"result": "ok", "note": ""}}))
        self.assertEqual(report.media.count(), 1)
        edit = reverse("portal:inspections-report-edit", args=[report.pk])
        page = self.client.get(edit)
        self.assertContains(page, 'value="ok" id="id_item_power_0" checked')
        incomplete = self.client.post(edit, {**self.form(power="ok"), "submit": "1"}, format="multipart", follow=True)
        self.assertContains(incomplete, "Answer every checklist item")
        report.refresh_from_db()
        self.assertEqual(report.status, "draft")
        answers = dict.fromkeys(SIREN_ITEMS, "ok") | {"housing": "defect"}
        done = self.client.post(edit, {**self.form(**answers), "submit": "1"}, format="multipart")
        self.assertRedirects(done, reverse("portal:inspections-report", args=[report.pk]) + "?saved=1")
        report.refresh_from_db()
        self.assertEqual(report.status, "submitted")
        self.assertEqual(self.client.get(edit).status_code, 302, "a submitted report is no longer edited")

    def test_the_director_orders_completes_and_verifies(self):
        report = f.make_report(self.world.a, self.world.users["inspector"], facility=self.facility)
        self.login("director")
        deadline = timezone.localdate() + timedelta(days=5)
        response = self.client.post(
            reverse("portal:inspections-report-rectify", args=[report.pk]),
            {"requirement": "更换喇叭", "deadline": deadline.isoformat()},
            format="multipart",
        )
        order = Rectification.objects.get()
        self.assertRedirects(response, reverse("portal:inspections-rectification", args=[order.pk]))
        report.refresh_from_db()
        self.assertEqual(
            (order.deadline, order.responsible_party, report.status), (deadline, "某物业管理有限公司", "reviewed")
        )

        def step(name, data):
            url = reverse("portal:inspections-rectification-step", args=[order.pk, name])
            return self.client.post(url, data, format="multipart", follow=True)

        self.assertContains(step("complete", {"completed_on": deadline.isoformat()}), "Attach at least one after photo")
        step("complete", {"completed_on": timezone.localdate().isoformat(), "files": [f.photo_upload()]})
        step("verify", {"note": "复查合格"})
        order.refresh_from_db()
        self.assertEqual((order.status, order.evidence.count()), ("verified", 1))
        page = self.client.get(reverse("portal:inspections-rectification", args=[order.pk]))
        self.assertContains(page, reverse("portal:inspections-evidence", args=[order.evidence.get().pk]))

    def test_the_inspector_cannot_issue_orders(self):
        report = f.make_report(self.world.a, self.world.users["inspector"], facility=self.facility)
        self.login("inspector")
        url = reverse("portal:inspections-report-rectify", args=[report.pk])
        response = self.client.post(url, {"requirement": "x", "deadline": "2030-01-01"}, format="multipart")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Rectification.objects.exists())


class PortalReviewTest(WorldTestCase):
    def test_the_director_marks_a_report_reviewed_and_the_inspector_cannot(self):
        report = f.make_report(self.world.a, self.world.users["inspector"])
        url = reverse("portal:inspections-report-review", args=[report.pk])
        self.login("inspector")
        self.assertEqual(self.client.post(url, {"note": "x"}, format="multipart").status_code, 403)
        self.login("director")
        self.assertContains(self.client.get(reverse("portal:inspections-report", args=[report.pk])), "mark-reviewed")
        self.client.post(url, {"note": "情况属实，无需整改"}, format="multipart")
        report.refresh_from_db()
        self.assertEqual((report.status, report.reviewed_by, report.review_note),
                         ("reviewed", self.world.users["director"], "情况属实，无需整改"))  # fmt: skip


class PotentialPageTest(WorldTestCase):
    def test_accuracy_per_region_in_scope(self):
        from inspections.services import potential_verification_record

        warehouse = f.make_warehouse(self.world.a)
        tents = warehouse.stocks.get(material_type="帐篷")
        potential_verification_record(
            facility=warehouse,
            verified_on=timezone.localdate() - timedelta(days=3),
            lines=f.as_declared(warehouse, **{tents.material_type: 90}),
        )
        f.verify(f.make_warehouse(self.world.b), verified_on=timezone.localdate())
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.login("office")
        page = self.client.get(reverse("portal:inspections-potential"))
        self.assertContains(page, self.world.a.township.name)
        self.assertContains(page, "50.00%")  # two decimals, as every rate
        self.assertContains(page, "3 days ago")
        self.assertNotContains(page, self.world.b.township.name)
        self.assertContains(page, '<td data-testid="unverified">0</td>', html=False)
        self.login("unit")
        self.assertEqual(self.client.get(reverse("portal:inspections-potential")).status_code, 403)


class PortalOrderTest(WorldTestCase):
    def setUp(self):
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def test_no_order_on_a_draft(self):
        deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
        order = {"requirement": "更换喇叭", "deadline": deadline}
        # Someone else's draft is not there for the director at all.
        draft = f.make_report(self.world.a, self.world.users["inspector"], status="draft")
        self.login("director")
        url = reverse("portal:inspections-report-rectify", args=[draft.pk])
        self.assertEqual(self.client.post(url, order, format="multipart").status_code, 404)
        # Office staff may file reports: on their own draft the service's rule answers.
        own = f.make_report(self.world.a, self.world.users["office"], status="draft")
        self.login("office")
        url = reverse("portal:inspections-report-rectify", args=[own.pk])
        self.assertContains(self.client.post(url, order, format="multipart", follow=True), "not on a draft")
        self.assertFalse(Rectification.objects.exists())

    def test_the_order_page_gives_the_partys_contact(self):
        order = f.make_order(self.world.a, self.world.users["director"])
        self.login("director")
        page = self.client.get(reverse("portal:inspections-rectification", args=[order.pk]))
        self.assertContains(page, "张经理")
        self.assertContains(page, 'href="tel:13900000000"')

    def test_the_inspector_reads_the_orders_of_their_grid(self):
        inspector = self.world.users["inspector"]
        report = f.make_report(self.world.a, inspector)
        order = f.make_order(self.world.a, self.world.users["director"], report=report)
        evidence = f.add_media(RectificationEvidence, None, inspector, rectification=order)
        outside = f.make_order(self.world.b, self.world.users["director"])
        self.login("inspector")
        page = self.client.get(reverse("portal:inspections-report", args=[report.pk]))
        self.assertContains(page, reverse("portal:inspections-rectification", args=[order.pk]))
        page = self.client.get(reverse("portal:inspections-rectification", args=[order.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, reverse("portal:inspections-evidence", args=[evidence.pk]))
        self.assertNotContains(page, reverse("portal:inspections-rectification-step", args=[order.pk, "complete"]))
        self.assertEqual(
            self.client.get(reverse("portal:inspections-rectification", args=[outside.pk])).status_code, 404
        )
        step = reverse("portal:inspections-rectification-step", args=[order.pk, "verify"])
        self.assertEqual(self.client.post(step, {"note": "x"}).status_code, 403)
