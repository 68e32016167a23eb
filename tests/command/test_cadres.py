"""Training for cadres: attendance and assessment of officials who are in no team."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from command.models import CadreAttendance, SessionMaterial
from command.services import cadre_attendance_record
from inspections.uploads import prepare_uploads
from members.models import Membership
from tests import factories as f
from tests.base import WorldTestCase


class CadreTrainingTest(WorldTestCase):
    def test_attendance_is_recorded_for_an_official_in_no_team(self):
        official = f.make_official(self.world.a, name="李县长", post_title="县长")
        session = f.make_cadre_session(self.world.a, kind="exercise", exercise=f.make_exercise(self.world.a))
        self.as_role("office")
        response = self.client.post(
            reverse("api:cadreattendance-list"),
            {"session": session.pk, "official": official.pk, "present": True, "score": 92},
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        row = CadreAttendance.objects.get()
        self.assertEqual((row.official, row.present, row.score), (official, True, 92))
        self.assertFalse(Membership.objects.filter(person__name="李县长").exists())
        # Recording again corrects the row rather than adding one.
        cadre_attendance_record(session=session, official=official, by=self.world.users["office"], present=False)
        self.assertEqual(list(CadreAttendance.objects.values_list("present", "score")), [(False, None)])

    def test_materials_are_added_through_the_upload_checks(self):
        session = f.make_cadre_session(self.world.a)
        self.as_role("office")
        url = reverse("api:cadresession-detail", args=[session.pk]) + "materials/"
        refused = self.client.post(url, {"files": [SimpleUploadedFile("a.txt", b"hello")]}, format="multipart")
        self.assertEqual(refused.status_code, 400, refused.content)
        response = self.client.post(url, {"files": [f.photo_upload()], "title": "课件"}, format="multipart")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual([(m["kind"], m["title"]) for m in response.json()], [("photo", "课件")])

    def test_a_pdf_document_is_a_material_served_only_as_a_download(self):
        session = f.make_cadre_session(self.world.a)
        self.as_role("office")
        url = reverse("api:cadresession-detail", args=[session.pk]) + "materials/"
        pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        # A page named .pdf is judged by its content: refused before anything is stored.
        fake = SimpleUploadedFile("讲义.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
        refused = self.client.post(url, {"files": [fake]}, format="multipart")
        self.assertEqual(refused.status_code, 400, refused.content)
        self.assertIn("PDF", refused.json()["files"][0])
        self.assertFalse(SessionMaterial.objects.exists())
        response = self.client.post(
            url, {"files": [SimpleUploadedFile("讲义.pdf", pdf)], "title": "讲义"}, format="multipart"
        )
        self.assertEqual(response.status_code, 201, response.content)
        (material,) = response.json()
        self.assertEqual((material["kind"], material["title"]), ("document", "讲义"))
        download = self.client.get(reverse("api:sessionmaterial-download", args=[material["id"]]))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(b"".join(download.streaming_content), pdf)
        self.assertTrue(download["Content-Disposition"].startswith("attachment"))  # never shown inline
        self.assertEqual(download["X-Content-Type-Options"], "nosniff")

    def test_grid_uploads_take_no_documents(self):
        """Photos and videos only where the caller does not ask for documents (inspection reports)."""
        pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n")
        with self.assertRaises(ValidationError) as refused:
            prepare_uploads([pdf])
        self.assertIn("files", refused.exception.message_dict)
        self.assertEqual([p.kind for p in prepare_uploads([pdf], documents=True)], ["document"])
