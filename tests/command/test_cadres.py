"""Training for cadres: attendance and assessment of officials who are in no team."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from command.models import CadreAttendance
from command.services import cadre_attendance_record
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
