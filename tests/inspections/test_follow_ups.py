"""Evaluation follow-ups closed: the unit is reminded before the deadline, an item past it escalates
(the unit, then the district/county office, then the city office, each step once), and the unit's
liaison reports each item done with evidence in the portal; the evidence has its scoping matrix."""

import datetime

from django.urls import reverse

from inspections import services
from inspections.models import EvaluationFollowUp, FollowUpEvidence
from mobilization.models import Notification
from tests import factories as f
from tests.base import APIScopeTestCase, WorldTestCase

DEADLINE = datetime.date(2026, 3, 31)


def make_item(side, **fields):
    return EvaluationFollowUp.objects.create(
        evaluation=f.make_evaluation(side), item=fields.pop("item", "补齐缺配装备"), owner="王队长",
        deadline=fields.pop("deadline", DEADLINE), **fields,
    )  # fmt: skip


class FollowUpEvidenceAPITest(APIScopeTestCase):
    model = FollowUpEvidence
    basename = "followupevidence"
    access = {"office": "read", "city_office": "read", "liaison": "read", "unit": "read"}
    writable = False

    def create_payload(self, side):
        return {}

    def make(self, side):
        return f.add_media(FollowUpEvidence, None, self.world.users["unit"], follow_up=make_item(side))


class FollowUpSweepTest(WorldTestCase):
    def setUp(self):
        self.item = make_item(self.world.a)

    def notes(self, kind):
        return list(Notification.objects.filter(kind=kind).order_by("pk").values_list("recipient__username", "key"))

    def test_the_unit_is_reminded_once_within_a_week_of_the_deadline(self):
        self.assertEqual(services.follow_ups_remind_due(today=datetime.date(2026, 3, 20)), 0)  # 11 days ahead
        services.follow_ups_remind_due(today=datetime.date(2026, 3, 25))
        services.follow_ups_remind_due(today=datetime.date(2026, 3, 26))
        self.assertEqual(self.notes("follow_up_due"), [("t_unit", f"follow-up:{self.item.pk}:due:2026-03-31")])

    def test_overdue_escalates_one_level_per_sweep_each_once(self):
        stem = f"follow-up:{self.item.pk}:deadline:2026-03-31:escalation:"
        self.assertEqual(services.follow_ups_sweep_overdue(today=DEADLINE)["overdue"], 0)
        for day in (1, 1, 4, 4, 7, 7, 30):
            services.follow_ups_sweep_overdue(today=DEADLINE + datetime.timedelta(days=day))
        self.assertEqual(
            self.notes("follow_up_overdue"),
            [("t_unit", f"{stem}1"), ("t_office", f"{stem}2"), ("t_city_office", f"{stem}3")],
        )
        self.item.refresh_from_db()
        self.assertEqual(self.item.escalation_level, 3)

    def test_an_item_done_is_neither_reminded_nor_escalated(self):
        self.item.done = True
        self.item.save()
        self.assertEqual(services.follow_ups_remind_due(today=datetime.date(2026, 3, 25)), 0)
        self.assertEqual(
            services.follow_ups_sweep_overdue(today=datetime.date(2026, 4, 30)), {"overdue": 0, "escalated": 0}
        )


class FollowUpPortalTest(WorldTestCase):
    def setUp(self):
        self.item = make_item(self.world.a)
        self.outside = make_item(self.world.b, item="外区事项")
        self.url = reverse("portal:inspections-follow-ups")

    def test_the_liaison_reports_an_item_done_with_evidence(self):
        self.login("unit")
        page = self.client.get(self.url)
        self.assertContains(page, f'data-testid="follow-up-{self.item.pk}"')
        self.assertNotContains(page, "外区事项")
        done = reverse("portal:inspections-follow-up-done", args=[self.item.pk])
        refused = self.client.post(done, {"note": "已补齐"}, format="multipart")  # no evidence
        self.assertEqual(refused.status_code, 302)
        self.item.refresh_from_db()
        self.assertFalse(self.item.done)
        self.client.post(done, {"note": "已补齐装备并建立保养台账", "files": [f.photo_upload()]}, format="multipart")
        self.item.refresh_from_db()
        self.assertEqual(
            (self.item.done, self.item.done_note, self.item.reported_by),
            (True, "已补齐装备并建立保养台账", self.world.users["unit"]),
        )
        self.assertEqual(self.item.evidence.count(), 1)
        evidence = self.item.evidence.get()
        self.assertEqual(
            self.client.get(reverse("portal:inspections-follow-up-evidence", args=[evidence.pk])).status_code, 200
        )
        self.assertContains(
            self.client.get(self.url), reverse("portal:inspections-follow-up-evidence", args=[evidence.pk])
        )

    def test_an_item_of_another_unit_is_404(self):
        self.login("unit")
        done = reverse("portal:inspections-follow-up-done", args=[self.outside.pk])
        response = self.client.post(done, {"note": "x", "files": [f.photo_upload()]}, format="multipart")
        self.assertEqual(response.status_code, 404)

    def test_the_api_action_needs_the_report_permission(self):
        url = reverse("api:evaluationfollowup-report-done", args=[self.item.pk])
        self.as_role("liaison")  # the military liaison reads, and reports nothing
        self.assertEqual(self.client.post(url, {"note": "x"}, format="multipart").status_code, 403)
        self.as_role("unit")
        response = self.client.post(url, {"note": "已完成", "files": [f.photo_upload()]}, format="multipart")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["done"], len(response.json()["evidence"])), (True, 1))
