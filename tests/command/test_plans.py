"""Action plans: the live gap check lists a team short after its members leave and clears when
they return; stocks and facilities and team types are checked too; approval supersedes."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from command.models import PlanRequirement
from command.selectors import plan_gaps
from command.services import plan_approve, plan_revision_from_exercise
from members.models import Membership
from tests import factories as f
from tests.base import WorldTestCase


class GapCheckTest(WorldTestCase):
    def test_a_team_is_short_after_its_members_leave_and_clears_when_they_return(self):
        team = f.make_team(self.world.a, team_type=f.make_type(min_headcount=3)[0])
        for _ in range(3):
            f.add_member(team)
        plan = f.make_action_plan(self.world.a)
        requirement = PlanRequirement.objects.create(plan=plan, team=team)
        self.assertEqual(plan_gaps(plan), [])

        left = list(Membership.objects.filter(team=team))
        Membership.objects.filter(pk__in=[m.pk for m in left[:2]]).update(left=date(2026, 1, 1))
        gaps = plan_gaps(plan, today=date(2026, 3, 1))
        self.assertEqual([(g.requirement, g.target) for g in gaps], [(requirement, team)])
        self.assertEqual(gaps[0].reasons, ["现有 1 人；预案需要 3 人。"])
        self.as_role("liaison")
        answer = self.client.get(reverse("api:actionplan-detail", args=[plan.pk]) + "gaps/")
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(
            answer.json(), [{"requirement": requirement.pk, "target": str(team), "reasons": gaps[0].reasons}]
        )

        for m in left[:2]:
            Membership.objects.create(person=m.person, team=team, joined=date(2026, 2, 1))
        self.assertEqual(plan_gaps(plan, today=date(2026, 3, 1)), [])

    def test_stocks_facilities_and_team_types(self):
        plan = f.make_action_plan(self.world.a)
        warehouse = f.make_warehouse(self.world.a, stocks=(("帐篷", 100, "顶"),))
        stock = warehouse.stocks.get()
        PlanRequirement.objects.create(plan=plan, stock=stock, min_quantity=Decimal("150"))
        PlanRequirement.objects.create(plan=plan, facility=warehouse)
        team_type = f.make_type(min_headcount=50)[0]
        PlanRequirement.objects.create(plan=plan, team_type=team_type, min_ready_teams=1)
        gaps = {str(g.target): g.reasons for g in plan_gaps(plan)}
        self.assertEqual(
            gaps,
            {
                str(stock): ["库存 100 顶；预案需要 150。"],
                str(team_type): ["本区域该类型战备队伍 0 支；预案需要 1 支。"],
            },
        )
        warehouse.status = "under_repair"
        warehouse.save()
        self.assertEqual(len(plan_gaps(plan)), 3)

    def test_approval_supersedes_and_an_exercise_leaves_revision_items(self):
        office = self.world.users["office"]
        first = plan_approve(plan=f.make_action_plan(self.world.a, version=1), by=office)
        second = plan_approve(plan=f.make_action_plan(self.world.a, version=2), by=office)
        first.refresh_from_db()
        self.assertEqual((first.status, second.status), ("superseded", "approved"))
        exercise = f.make_exercise(self.world.a)
        items = plan_revision_from_exercise(
            plan=second, exercise=exercise, findings=[("通信中断十分钟", "通信保障组", date(2026, 9, 30))], by=office
        )
        self.assertEqual([(i.exercise, i.owner) for i in items], [(exercise, "通信保障组")])
        self.assertEqual(list(second.tested_by.all()), [exercise])
