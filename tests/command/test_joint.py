"""Joint-office tasks: split to districts, claimed, reported with evidence; closed only with both
sides' signatures."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from command.models import JointTask
from tests import factories as f
from tests.base import WorldTestCase


class JointTaskTest(WorldTestCase):
    def test_split_claim_report_and_both_signatures(self):
        task = f.make_joint_task(self.world.a, office_owner=self.world.users["office"])
        task_url = reverse("api:jointtask-detail", args=[task.pk])
        self.as_role("liaison")
        response = self.client.post(task_url + "split/", {"districts": [self.world.a.county.pk]}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        assignment = task.assignments.get()
        step = reverse("api:jointtaskassignment-detail", args=[assignment.pk])
        self.assertEqual(self.client.post(step + "claim/").status_code, 200)
        no_evidence = self.client.post(step + "report/", {"report": "已完成"}, format="multipart")
        self.assertEqual(no_evidence.status_code, 400, no_evidence.content)
        self.assertEqual(self.client.post(task_url + "sign/").status_code, 400)
        reported = self.client.post(
            step + "report/", {"report": "已完成", "files": [f.photo_upload()]}, format="multipart"
        )
        self.assertEqual(reported.status_code, 200, reported.content)
        self.assertEqual(reported.json()["status"], "reported")

        signed = self.client.post(task_url + "sign/")
        self.assertEqual(signed.status_code, 200, signed.content)
        self.assertEqual(signed.json()["status"], "open")  # one side only
        self.assertEqual(self.client.post(task_url + "sign/").status_code, 400)  # that side again
        self.as_role("office")
        signed = self.client.post(task_url + "sign/")
        self.assertEqual(signed.json()["status"], "closed")
        task.refresh_from_db()
        self.assertEqual(
            (task.military_signed_by, task.office_signed_by),
            (self.world.users["liaison"], self.world.users["office"]),
        )

    def test_a_district_beyond_the_task_region_is_refused(self):
        from command.services import joint_task_split

        task = f.make_joint_task(self.world.a)
        with self.assertRaises(ValidationError):
            joint_task_split(task=task, districts=[self.world.a.city], by=self.world.users["office"])
        self.assertEqual(JointTask.objects.get(pk=task.pk).assignments.count(), 0)
