"""A create or upload sent again with the same `Idempotency-Key` answers the first result and
creates nothing; a refused request keeps no key; keys are per user and per endpoint."""

from django.urls import reverse

from inspections.models import InspectionMedia, InspectionReport
from mobilization.models import IdempotencyKey
from tests import factories as f
from tests.base import WorldTestCase


class IdempotencyTest(WorldTestCase):
    def setUp(self):
        self.facility = f.make_facility(self.world.a)
        self.url = reverse("api:inspectionreport-list")

    def post(self, key, **data):
        payload = {"facility": self.facility.pk, "findings": "地下室渗水", **data}
        return self.client.post(self.url, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)

    def test_a_repeat_answers_the_first_result_and_creates_nothing(self):
        self.as_role("inspector")
        first = self.post("draft-1")
        again = self.post("draft-1", findings="第二次发送")
        self.assertEqual((first.status_code, again.status_code), (201, 201), again.content)
        self.assertEqual(again.json()["id"], first.json()["id"])
        self.assertEqual(again.json()["findings"], "地下室渗水")
        self.assertEqual((first["Idempotency-Replayed"], again["Idempotency-Replayed"]), ("false", "true"))
        self.assertEqual(InspectionReport.objects.count(), 1)
        self.assertEqual(self.post("draft-2").status_code, 201)
        self.assertEqual(InspectionReport.objects.count(), 2)

    def test_without_the_header_each_request_creates(self):
        self.as_role("inspector")
        self.post("")
        self.post("")
        self.assertEqual(InspectionReport.objects.count(), 2)
        self.assertFalse(IdempotencyKey.objects.exists())

    def test_a_refused_request_keeps_no_key(self):
        self.as_role("inspector")
        refused = self.post("k", severity="no-such-severity")
        self.assertEqual(refused.status_code, 400, refused.content)
        self.assertFalse(IdempotencyKey.objects.exists())
        self.assertEqual(self.post("k").status_code, 201)
        self.assertEqual(InspectionReport.objects.count(), 1)

    def test_keys_are_per_user(self):
        self.as_role("inspector")
        self.post("same")
        self.as_role("office")
        response = self.post("same")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response["Idempotency-Replayed"], "false")
        self.assertEqual(InspectionReport.objects.count(), 2)

    def test_a_deleted_result_is_not_made_again(self):
        self.as_role("inspector")
        report = self.post("gone").json()["id"]
        self.assertEqual(self.client.delete(reverse("api:inspectionreport-detail", args=[report])).status_code, 204)
        self.assertEqual(self.post("gone").status_code, 404)
        self.assertFalse(InspectionReport.objects.exists())

    def test_an_upload_repeated_stores_the_files_once(self):
        inspector = self.as_role("inspector")
        report = f.make_report(self.world.a, inspector, status="draft", facility=self.facility)
        url = reverse("api:inspectionreport-media", args=[report.pk])
        answers = [
            self.client.post(url, {"files": [f.photo_upload()]}, format="multipart", HTTP_IDEMPOTENCY_KEY="up-1")
            for _ in range(2)
        ]
        self.assertEqual([a.status_code for a in answers], [201, 201], answers[1].content)
        self.assertEqual([row["id"] for row in answers[1].json()], [row["id"] for row in answers[0].json()])
        self.assertEqual(InspectionMedia.objects.filter(report=report).count(), 1)

    def test_a_multipart_create_with_a_photo_repeated_makes_one_report_with_one_photo(self):
        self.as_role("inspector")
        for _ in range(2):
            response = self.client.post(
                self.url,
                {"facility": self.facility.pk, "checklist": "{}", "files": [f.photo_upload()]},
                format="multipart",
                HTTP_IDEMPOTENCY_KEY="with-photo",
            )
            self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(InspectionReport.objects.count(), 1)
        self.assertEqual(InspectionMedia.objects.count(), 1)
