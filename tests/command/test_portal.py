"""The portal pages of the command app: the military liaison's requests and joint-office tasks,
scoped like every page (404 beyond scope, 403 for roles without the permission)."""

from django.urls import reverse

from command.models import JointTask
from tests import factories as f
from tests.base import WorldTestCase


class PortalTest(WorldTestCase):
    def test_roles_without_the_permission_are_refused(self):
        for role in ("unit", "inspector", "auditor"):
            with self.subTest(role=role):
                self.login(role)
                self.assertEqual(self.client.get(reverse("portal:command-requests")).status_code, 403)
                self.assertEqual(self.client.get(reverse("portal:command-tasks")).status_code, 403)

    def test_pages_beyond_scope_are_not_found(self):
        request = f.make_military_request(self.world.b, self.world.users["liaison"])
        task = f.make_joint_task(self.world.b)
        self.login("liaison")
        self.assertEqual(self.client.get(reverse("portal:command-request", args=[request.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("portal:command-task", args=[task.pk])).status_code, 404)

    def test_the_liaison_works_a_joint_task_on_the_portal(self):
        task = f.make_joint_task(self.world.a)
        assignment = f.make_assignment(self.world.a, task=task)
        self.login("liaison")
        home = self.client.get(reverse("portal:home"))
        self.assertContains(home, 'data-testid="tile-command-tasks"')
        self.assertContains(home, 'data-testid="tile-command-requests"')
        step = "portal:command-assignment-step"
        self.client.post(reverse(step, args=[assignment.pk, "claim"]))
        self.client.post(
            reverse(step, args=[assignment.pk, "report"]),
            {"report": "已完成核查", "files": [f.photo_upload()]},
            format="multipart",
        )
        self.client.post(reverse("portal:command-task-sign", args=[task.pk]))
        page = self.client.get(reverse("portal:command-task", args=[task.pk]))
        self.assertContains(page, "已完成核查")
        evidence = assignment.evidence.get()
        self.assertContains(page, reverse("portal:command-evidence", args=[evidence.pk]))
        task.refresh_from_db()
        self.assertEqual((task.status, task.military_signed_by), ("open", self.world.users["liaison"]))
        self.login("office")
        self.client.post(reverse("portal:command-task-sign", args=[task.pk]))
        self.assertEqual(JointTask.objects.get(pk=task.pk).status, "closed")
        self.assertEqual(self.client.get(reverse("portal:command-evidence", args=[evidence.pk])).status_code, 200)

    def test_the_liaison_opens_a_joint_task_split_to_districts(self):
        self.login("liaison")
        page = self.client.get(reverse("portal:command-task-new"))
        self.assertContains(page, f'value="{self.world.a.county.pk}"')
        self.assertNotContains(page, f'value="{self.world.b.county.pk}"')
        response = self.client.post(
            reverse("portal:command-task-new"),
            {"title": "民兵点验联合督导", "districts": [self.world.a.county.pk]},
            format="multipart",
        )
        task = JointTask.objects.get(title="民兵点验联合督导")
        self.assertRedirects(response, reverse("portal:command-task", args=[task.pk]))
        self.assertEqual(
            (task.region, task.military_owner, task.office_owner),
            (self.world.a.county, self.world.users["liaison"], None),
        )
        self.assertEqual(list(task.assignments.values_list("district", flat=True)), [self.world.a.county.pk])
