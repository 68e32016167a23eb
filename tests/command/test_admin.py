"""The admin of the command app: a request added there is raised through the service, and the
office moves it on with an admin action; a plan's change page shows its live gap check."""

from django.urls import reverse

from command.models import MilitaryRequest, PlanRequirement
from tests import factories as f
from tests.base import WorldTestCase


class AdminTest(WorldTestCase):
    def test_a_request_added_in_the_admin_is_raised_and_moved_on(self):
        team = f.make_team(self.world.a)
        self.login("liaison")
        response = self.client.post(
            reverse("admin:command_militaryrequest_add"),
            {
                "region": self.world.a.county.pk,
                "title": "请求工程抢修力量",
                "description": "桥梁抢修",
                "teams": [team.pk],
                "stages-TOTAL_FORMS": "0",
                "stages-INITIAL_FORMS": "0",
            },
            format="multipart",
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        request = MilitaryRequest.objects.get()
        self.assertEqual(
            (request.raised_by, request.stage, list(request.teams.all())),
            (self.world.users["liaison"], "intake", [team]),
        )
        self.assertEqual(request.stages.count(), 1)
        changelist = reverse("admin:command_militaryrequest_changelist")
        self.client.post(changelist, {"action": "advance", "_selected_action": [request.pk]}, format="multipart")
        self.assertEqual(MilitaryRequest.objects.get().stage, "intake")  # the liaison may not advance
        self.login("office")
        self.client.post(changelist, {"action": "advance", "_selected_action": [request.pk]}, format="multipart")
        self.assertEqual(MilitaryRequest.objects.get().stage, "task_meeting")

    def test_the_plan_page_shows_the_gap_check(self):
        plan = f.make_action_plan(self.world.a)
        team = f.make_team(self.world.a)
        PlanRequirement.objects.create(plan=plan, team=team, min_headcount=2)
        self.login("office")
        page = self.client.get(reverse("admin:command_actionplan_change", args=[plan.pk]))
        self.assertContains(page, f"{team.name}: 现有 0 人；预案需要 2 人。")
