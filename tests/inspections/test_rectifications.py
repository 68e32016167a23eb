"""The rectification loop's rules: the overdue sweep marks and escalates each step once, up the
region chain (workstation, district/county office, city office), and is safe to run twice."""

import io
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from inspections import services
from inspections.models import Rectification
from mobilization.models import Notification
from tests.base import WorldTestCase

from . import factories as f

DEADLINE = date(2026, 5, 10)


def escalations(order):
    return Notification.objects.filter(key__startswith=f"rectification:{order.pk}:round:").order_by("key")


class SweepTest(WorldTestCase):
    def setUp(self):
        self.order = f.make_order(self.world.a, self.world.users["director"], deadline=DEADLINE)

    def sweep(self, day):
        return services.rectifications_sweep_overdue(today=day)

    def test_escalation_by_days_overdue(self):
        """(day swept, status after, escalation level after, users notified in total)."""
        table = [
            (DEADLINE, "issued", 0, set()),
            (DEADLINE + timedelta(days=1), "overdue", 1, {"director"}),
            (DEADLINE + timedelta(days=2), "overdue", 1, {"director"}),
            (DEADLINE + timedelta(days=4), "overdue", 2, {"director", "office"}),
            (DEADLINE + timedelta(days=7), "overdue", 3, {"director", "office", "city_office"}),
            (DEADLINE + timedelta(days=30), "overdue", 3, {"director", "office", "city_office"}),
        ]
        names = {u.pk: name for name, u in self.world.users.items()}
        for day, status, level, notified in table:
            with self.subTest(day=day):
                self.sweep(day)
                self.order.refresh_from_db()
                self.assertEqual((self.order.status, self.order.escalation_level), (status, level))
                self.assertEqual({names[n.recipient_id] for n in escalations(self.order)}, notified)

    def test_each_step_once_even_when_swept_twice(self):
        late = DEADLINE + timedelta(days=30)
        first = self.sweep(late)
        second = self.sweep(late)
        self.assertEqual(first, {"marked_overdue": 1, "escalated": 1})
        self.assertEqual(second, {"marked_overdue": 0, "escalated": 1}, "one level further per daily sweep")
        third = [self.sweep(late) for _ in range(3)]
        self.assertEqual([r["escalated"] for r in third], [1, 0, 0])
        self.assertEqual(escalations(self.order).count(), 3)
        self.assertEqual(Notification.objects.filter(key__endswith=":escalation:1").count(), 1)

    def test_a_completed_order_is_not_escalated(self):
        services.rectification_complete(order=self.order, by=self.world.users["director"], files=[f.photo_upload()])
        self.sweep(DEADLINE + timedelta(days=10))
        self.order.refresh_from_db()
        self.assertEqual((self.order.status, self.order.escalation_level), ("completed", 0))

    def test_a_reopened_order_escalates_again_in_its_new_round(self):
        director = self.world.users["director"]
        self.sweep(DEADLINE + timedelta(days=1))
        self.order.refresh_from_db()
        services.rectification_complete(order=self.order, by=director, files=[f.photo_upload()])
        new_deadline = DEADLINE + timedelta(days=20)
        services.rectification_reopen(order=self.order, by=director, deadline=new_deadline, today=DEADLINE)
        self.sweep(new_deadline + timedelta(days=1))
        self.order.refresh_from_db()
        self.assertEqual((self.order.round, self.order.escalation_level), (2, 1))
        self.assertEqual(escalations(self.order).count(), 2)

    def test_every_state_change_is_in_the_history(self):
        self.sweep(DEADLINE + timedelta(days=1))
        self.order.refresh_from_db()
        services.rectification_complete(order=self.order, by=self.world.users["director"], files=[f.photo_upload()])
        services.rectification_verify(order=self.order, by=self.world.users["director"])
        history = list(self.order.history.order_by("history_id").values_list("status", "escalation_level"))
        self.assertEqual(history, [("issued", 0), ("overdue", 0), ("overdue", 1), ("completed", 1), ("verified", 1)])

    def test_the_command_acts_as_on_the_given_day(self):
        out = io.StringIO()
        call_command("sweep_overdue_rectifications", today=(DEADLINE + timedelta(days=1)).isoformat(), stdout=out)
        self.assertIn("marked overdue: 1, escalated: 1", out.getvalue())
        self.assertEqual(Rectification.objects.get().status, "overdue")

    def test_the_beat_task_calls_the_same_service(self):
        from inspections.tasks import sweep_overdue_rectifications_task

        result = sweep_overdue_rectifications_task.apply(args=[(DEADLINE + timedelta(days=1)).isoformat()]).get()
        self.assertEqual(result, {"marked_overdue": 1, "escalated": 1})

    def test_workflow_refusals(self):
        """(step, order status before, error expected)."""
        director = self.world.users["director"]
        table = [
            (lambda o: services.rectification_verify(order=o, by=director), "issued", "Only a completed order"),
            (lambda o: services.rectification_complete(order=o, by=director), "issued", "after photo"),
            (lambda o: services.rectification_complete(order=o, by=director), "verified", "Only an open order"),
            (
                lambda o: services.rectification_reopen(order=o, by=director, deadline=DEADLINE, today=DEADLINE),
                "completed",
                "after today",
            ),
        ]
        for step, status, message in table:
            with self.subTest(status=status, message=message):
                Rectification.objects.filter(pk=self.order.pk).update(status=status)
                self.order.refresh_from_db()
                with translation.override("en"), self.assertRaisesMessage(ValidationError, message):
                    step(self.order)
