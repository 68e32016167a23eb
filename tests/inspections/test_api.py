"""Every inspections endpoint through the shared bases: inspectors reach only their grid (and
their own reports), directors only their township; side B is out of everyone's scope."""

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from inspections.models import (
    EvaluationFollowUp,
    Facility,
    InspectionMedia,
    InspectionReport,
    MaterialStock,
    PotentialVerification,
    Rectification,
    RectificationEvidence,
    TeamEvaluation,
    VerificationLine,
)
from tests.base import APIScopeTestCase, WorldTestCase

from . import factories as f

GRID_READ = {"office": "write", "city_office": "write", "liaison": "read", "inspector": "read", "director": "read"}
IN_A_WEEK = (timezone.localdate() + timedelta(days=7)).isoformat()


class FacilityAPITest(APIScopeTestCase):
    model = Facility
    basename = "facility"
    access = GRID_READ
    update_payload = {"responsible_party": "另一物业公司"}

    def make(self, side):
        return f.make_facility(side)

    def create_payload(self, side):
        return {
            "kind": "alarm_siren",
            "name": f"警报器{f.n()}",
            "address": "楼顶",
            "region": side.township.code,
            "responsible_party": "某物业",
        }


class InspectionReportAPITest(APIScopeTestCase):
    model = InspectionReport
    basename = "inspectionreport"
    access = {**GRID_READ, "inspector": "write"}
    update_payload = {"findings": "照明不亮"}

    def make(self, side):
        # Submitted: from then on a report is the office's business, read by the whole matrix.
        return f.make_report(side, self.world.users["inspector"])

    def make_for_write(self, side, role):
        # Only a draft changes, and only its own inspector sees it: each writer gets a draft of its
        # own; the read-only roles try to change a filed report they read.
        if not self.can(role, "write"):
            return self.make(side)
        return f.make_report(side, self.world.users[role], status="draft")

    def create_payload(self, side):
        return {"facility": f.make_facility(side).pk, "findings": "草稿", "checklist": {"rust": {"result": "ok"}}}

    def test_an_inspector_sees_only_their_own_reports(self):
        other = f.make_report(self.world.a, self.world.users["director"])
        self.as_role("inspector")
        self.assertEqual(self.client.get(self.detail_url(other)).status_code, 404)
        self.as_role("director")
        self.assertEqual(self.client.get(self.detail_url(other)).status_code, 200)

    def test_submitting_needs_every_checklist_item(self):
        self.as_role("inspector")
        facility = f.make_facility(self.world.a, kind="alarm_siren")
        partial = {"facility": facility.pk, "checklist": {"power": {"result": "ok"}}, "submit": True}
        response = self.client.post(self.list_url(), partial, format="json")
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("checklist", response.json())
        answers = {k: {"result": "ok"} for k in ("power", "sound_test", "housing", "control", "access")}
        answers["housing"] = {"result": "defect", "note": "锈蚀"}
        response = self.client.post(
            self.list_url(), {**partial, "checklist": answers, "severity": "minor"}, format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], "submitted")

    def test_multipart_with_a_json_checklist_and_a_photo(self):
        self.as_role("inspector")
        facility = f.make_facility(self.world.a, kind="military_facility")
        answers = {k: {"result": "ok"} for k in ("perimeter", "markers", "encroachment", "surroundings")}
        payload = {
            "facility": facility.pk,
            "checklist": json.dumps(answers),
            "submit": "true",
            "files": [f.photo_upload(), f.photo_upload()],
        }
        response = self.client.post(self.list_url(), payload, format="multipart")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["status"], len(body["media"])), ("submitted", 2))
        self.assertEqual(body["checklist"], answers)
        self.assertTrue(body["media"][0]["download"].endswith("/download/"))

    def test_a_submitted_report_is_no_longer_changed_or_deleted(self):
        report = f.make_report(self.world.a, self.world.users["inspector"])
        self.as_role("inspector")
        self.assertEqual(self.client.patch(self.detail_url(report), {"findings": "x"}, format="json").status_code, 400)
        self.assertEqual(self.client.delete(self.detail_url(report)).status_code, 400)

    def test_the_director_reviews(self):
        report = f.make_report(self.world.a, self.world.users["inspector"])
        self.as_role("inspector")
        url = self.detail_url(report) + "review/"
        self.assertEqual(self.client.post(url, {}, format="json").status_code, 403)
        self.as_role("director")
        response = self.client.post(url, {"note": "已阅"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "reviewed")


class InspectionMediaAPITest(APIScopeTestCase):
    model = InspectionMedia
    basename = "inspectionmedia"
    access = {**GRID_READ, "office": "read", "city_office": "read"}
    writable = False

    def create_payload(self, side):
        return {}

    def make(self, side):
        return f.make_media(side, self.world.users["inspector"])


class RectificationAPITest(APIScopeTestCase):
    model = Rectification
    basename = "rectification"
    access = {"office": "write", "city_office": "write", "liaison": "read", "director": "write", "inspector": "read"}
    update_payload = {"requirement": "一周内更换全部密封条"}
    deletable = False

    def make(self, side):
        return f.make_order(side, self.world.users["inspector"])

    def create_payload(self, side):
        report = f.make_report(side, self.world.users["inspector"])
        return {"report": report.pk, "requirement": "更换密封条", "deadline": IN_A_WEEK}

    def test_the_loop_complete_verify_reopen(self):
        order = f.make_order(self.world.a, self.world.users["inspector"])
        self.as_role("director")
        url = self.detail_url(order)
        response = self.client.post(url + "complete/", {"note": "已更换"}, format="multipart")
        self.assertEqual(response.status_code, 400, "completion needs an after photo")
        response = self.client.post(
            url + "complete/", {"note": "已更换", "files": [f.photo_upload()]}, format="multipart"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "completed")
        self.assertEqual(len(response.json()["evidence"]), 1)
        response = self.client.post(url + "reopen/", {"deadline": IN_A_WEEK, "note": "未修好"}, format="json")
        self.assertEqual(response.json()["status"], "reopened")
        self.assertEqual(response.json()["round"], 2)
        self.client.post(url + "complete/", {"files": [f.photo_upload()]}, format="multipart")
        response = self.client.post(url + "verify/", {"note": "复查合格"}, format="json")
        self.assertEqual(response.json()["status"], "verified")
        statuses = list(order.history.order_by("history_id").values_list("status", flat=True))
        self.assertEqual(statuses, ["issued", "completed", "reopened", "completed", "verified"])

    def test_a_deadline_in_the_past_is_refused(self):
        self.as_role("director")
        payload = {**self.create_payload(self.world.a), "deadline": "2020-01-01"}
        response = self.client.post(self.list_url(), payload, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("deadline", response.json())


class RectificationEvidenceAPITest(APIScopeTestCase):
    model = RectificationEvidence
    basename = "rectificationevidence"
    access = {"office": "read", "city_office": "read", "liaison": "read", "director": "read", "inspector": "read"}
    writable = False

    def create_payload(self, side):
        return {}

    def make(self, side):
        return f.make_evidence(side, self.world.users["director"])


EVALUATION_ACCESS = {"office": "write", "city_office": "write", "liaison": "read", "unit": "read"}


class TeamEvaluationAPITest(APIScopeTestCase):
    model = TeamEvaluation
    basename = "teamevaluation"
    access = EVALUATION_ACCESS
    update_payload = {"findings": "装备保养记录不全"}

    def make(self, side):
        return f.make_evaluation(side)

    def create_payload(self, side):
        scores = dict.fromkeys(TeamEvaluation.SCORE_FIELDS, 18)
        return {"team": f.make_team(side).pk, "year": 2026, "period": "mid_year", **scores}

    def test_total_and_grade_follow_the_scores(self):
        self.as_role("office")
        payload = {**self.create_payload(self.world.a), "readiness_score": 10}
        body = self.client.post(self.list_url(), payload, format="json").json()
        self.assertEqual((body["total"], body["grade"]), (82, "good"))


class EvaluationFollowUpAPITest(APIScopeTestCase):
    model = EvaluationFollowUp
    basename = "evaluationfollowup"
    access = EVALUATION_ACCESS
    update_payload = {"done": True}

    def make(self, side):
        return EvaluationFollowUp.objects.create(
            evaluation=f.make_evaluation(side), item="补齐装备", owner="王队长", deadline=IN_A_WEEK
        )

    def create_payload(self, side):
        return {"evaluation": f.make_evaluation(side).pk, "item": "补训", "owner": "李", "deadline": IN_A_WEEK}


class MaterialStockAPITest(APIScopeTestCase):
    model = MaterialStock
    basename = "materialstock"
    access = GRID_READ
    update_payload = {"quantity": "120.00"}

    def make(self, side):
        return MaterialStock.objects.create(
            facility=f.make_warehouse(side, stocks=()), material_type="帐篷", quantity=100, unit="顶"
        )

    def create_payload(self, side):
        return {"facility": f.make_warehouse(side, stocks=()).pk, "material_type": "棉被", "quantity": 50, "unit": "床"}

    def test_only_warehouses_declare_stocks(self):
        self.as_role("office")
        payload = {**self.create_payload(self.world.a), "facility": f.make_facility(self.world.a).pk}
        self.assertEqual(self.client.post(self.list_url(), payload, format="json").status_code, 400)


class PotentialVerificationAPITest(APIScopeTestCase):
    model = PotentialVerification
    basename = "potentialverification"
    access = GRID_READ
    update_payload = {"discrepancies": "账实不符"}

    def make(self, side):
        return f.verify(f.make_warehouse(side), verified_on=timezone.localdate())

    def create_payload(self, side):
        warehouse = f.make_warehouse(side)
        found = [
            {"stock": line["stock"].pk, "verified_quantity": str(line["verified_quantity"])}
            for line in f.as_declared(warehouse)
        ]
        return {"facility": warehouse.pk, "verified_on": timezone.localdate().isoformat(), "found": found}

    def test_found_figures_and_accuracy_per_region(self):
        warehouse = f.make_warehouse(self.world.a)
        tents = warehouse.stocks.get(material_type="帐篷")
        self.as_role("office")
        payload = {
            "facility": warehouse.pk,
            "verified_on": (timezone.localdate() - timedelta(days=4)).isoformat(),
            "found": [
                {"stock": tents.pk, "verified_quantity": "80"},
                {"stock": warehouse.stocks.get(material_type="发电机").pk, "verified_quantity": "5"},
            ],
        }
        body = self.client.post(self.list_url(), payload, format="json").json()
        self.assertEqual((body["types_match"], body["quantities_match"]), (True, False))
        self.assertIn("帐篷", body["discrepancies"])
        rows = self.client.get(self.list_url() + "accuracy/?region=" + self.world.a.county.code).json()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["region"], self.world.a.township.code)
        self.assertEqual((rows[0]["lines"], rows[0]["matching"], rows[0]["accuracy"]), (2, 1, 50.0))
        self.assertEqual(rows[0]["days_since_verified"], 4)


class VerificationLineAPITest(APIScopeTestCase):
    model = VerificationLine
    basename = "verificationline"
    access = {**GRID_READ, "office": "read", "city_office": "read"}
    writable = False

    def create_payload(self, side):
        return {}

    def make(self, side):
        verification = f.verify(f.make_warehouse(side), verified_on=timezone.localdate())
        return verification.lines.first()


class _Endpoint(WorldTestCase):
    basename = None

    def list_url(self):
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, obj):
        return reverse(f"api:{self.basename}-detail", args=[obj.pk])


class DraftOrderAPITest(_Endpoint):
    """An order follows a filed report: never a draft, which may still move or be thrown away."""

    basename = "rectification"

    def test_no_order_on_a_draft(self):
        # Someone else's draft cannot even be named (the director does not see it); on their own
        # draft office staff hear the service's rule.
        for role, filer in (("director", "inspector"), ("office", "office")):
            with self.subTest(role=role):
                draft = f.make_report(self.world.a, self.world.users[filer], status="draft")
                self.as_role(role)
                payload = {"report": draft.pk, "requirement": "更换密封条", "deadline": IN_A_WEEK}
                response = self.client.post(self.list_url(), payload, format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("report", response.json())
        self.assertFalse(Rectification.objects.exists())

    def test_a_report_with_orders_keeps_its_facility_and_is_not_deleted(self):
        # Orders issued on a draft before drafts were refused: the report must not lose them.
        inspector = self.world.users["inspector"]
        draft = f.make_report(self.world.a, inspector, status="draft")
        f.make_order(self.world.a, self.world.users["director"], report=draft)
        self.as_role("inspector")
        url = reverse("api:inspectionreport-detail", args=[draft.pk])
        other = f.make_facility(self.world.a)
        response = self.client.patch(url, {"facility": other.pk}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("facility", response.json())
        response = self.client.delete(url)
        self.assertEqual(response.status_code, 400)
        draft.refresh_from_db()
        self.assertEqual(draft.facility_id, Rectification.objects.get().facility_id)
        self.assertEqual(self.client.patch(url, {"findings": "补充"}, format="json").status_code, 200)


class VerificationEntryAPITest(_Endpoint):
    basename = "potentialverification"

    def test_every_declared_line_needs_its_figures(self):
        warehouse = f.make_warehouse(self.world.a)
        tents = warehouse.stocks.get(material_type="帐篷")
        self.as_role("office")
        today = timezone.localdate().isoformat()
        for found in ([], [{"stock": tents.pk, "verified_quantity": "100"}], None):
            with self.subTest(found=found):
                payload = {"facility": warehouse.pk, "verified_on": today}
                if found is not None:
                    payload["found"] = found
                response = self.client.post(self.list_url(), payload, format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("发电机", str(response.json()["lines"]))
        self.assertFalse(PotentialVerification.objects.exists())

    def test_the_warehouse_is_fixed_after_creation(self):
        warehouse = f.make_warehouse(self.world.a)
        verification = f.verify(warehouse, verified_on=timezone.localdate())
        self.as_role("office")
        url = self.detail_url(verification)
        other = f.make_warehouse(self.world.a)
        response = self.client.patch(url, {"facility": other.pk}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("facility", response.json())
        response = self.client.patch(url, {"location_matches": False, "discrepancies": "仓库已搬迁"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        verification.refresh_from_db()
        self.assertEqual((verification.facility_id, verification.location_matches), (warehouse.pk, False))


class AccuracyAPITest(_Endpoint):
    basename = "potentialverification"

    def test_location_staleness_and_unverified_warehouses(self):
        today = timezone.localdate()
        f.verify(f.make_warehouse(self.world.a), verified_on=today - timedelta(days=2))
        f.verify(f.make_warehouse(self.world.a), verified_on=today - timedelta(days=200), location_matches=False)
        stale = f.make_warehouse(self.world.a)
        f.verify(stale, verified_on=today - timedelta(days=400))
        f.verify(stale, verified_on=today - timedelta(days=90))  # its latest counts, not the older one
        f.make_warehouse(self.world.a)  # never verified
        f.make_warehouse(self.world.b)  # never verified, beyond scope
        f.verify(f.make_warehouse(self.world.a), verified_on=today + timedelta(days=5))  # not yet: never verified
        self.as_role("director")
        rows = self.client.get(self.list_url() + "accuracy/?region=" + self.world.a.county.code).json()
        self.assertEqual(len(rows), 1)
        row = rows[0]
        expected = {
            "lines": 6,
            "matching": 4,  # the two lines of the warehouse not where recorded do not match
            "accuracy": 66.67,  # two decimals, as every rate (mobilization.rates)
            "warehouses": 3,
            "last_verified": (today - timedelta(days=2)).isoformat(),
            "days_since_verified": 2,
            "stalest_verified": (today - timedelta(days=200)).isoformat(),
            "days_since_stalest": 200,
            "location_mismatches": 1,
            "unverified_warehouses": 2,
        }
        self.assertEqual({k: row[k] for k in expected}, expected)

    def test_a_region_with_only_unverified_warehouses_is_listed(self):
        f.make_warehouse(self.world.a)
        self.as_role("office")
        rows = self.client.get(self.list_url() + "accuracy/?region=" + self.world.a.county.code).json()
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows[0]["unverified_warehouses"], rows[0]["accuracy"], rows[0]["warehouses"]), (1, None, 0))

    def test_warehouses_beyond_scope_are_not_counted(self):
        f.make_warehouse(self.world.b)  # never verified
        f.verify(f.make_warehouse(self.world.b), verified_on=timezone.localdate())
        self.as_role("director")
        rows = self.client.get(self.list_url() + "accuracy/?region=" + self.world.b.county.code).json()
        self.assertEqual(rows, [])
