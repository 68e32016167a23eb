"""The rectification loop's rules: the overdue sweep marks and escalates each step once, up the
region chain (workstation, district/county office, city office), and is safe to run twice."""

import io
from datetime import date, timedelta
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from inspections import services
from inspections.models import Rectification
from mobilization.models import Notification
from mobilization.services import deliver_notifications
from tests import factories as f
from tests.base import WorldTestCase, delivered_in_process

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


class EscalationSkipTest(WorldTestCase):
    def test_a_level_with_nobody_active_is_passed_over_in_the_same_sweep(self):
        director = self.world.users["director"]
        order = f.make_order(self.world.a, director, deadline=DEADLINE)
        type(director).objects.filter(pk=director.pk).update(is_active=False)  # the workstation has nobody now
        names = {u.pk: name for name, u in self.world.users.items()}
        table = [
            (DEADLINE + timedelta(days=1), 2, {"office"}),  # due at level 1, reaches the district office
            (DEADLINE + timedelta(days=1), 2, {"office"}),  # swept again: nothing more
            (DEADLINE + timedelta(days=4), 2, {"office"}),  # due level 2 is reached already
            (DEADLINE + timedelta(days=7), 3, {"office", "city_office"}),
        ]
        for day, level, notified in table:
            with self.subTest(day=day):
                services.rectifications_sweep_overdue(today=day)
                order.refresh_from_db()
                self.assertEqual(order.escalation_level, level)
                self.assertEqual({names[n.recipient_id] for n in escalations(order)}, notified)
        self.assertEqual(escalations(order).count(), 2, "each step once")
        levels = list(order.history.order_by("history_id").values_list("escalation_level", flat=True))
        self.assertEqual(levels, [0, 0, 2, 3])


class DeadlineChangeTest(WorldTestCase):
    def setUp(self):
        self.director = self.world.users["director"]
        self.order = f.make_order(self.world.a, self.director, deadline=DEADLINE)

    def test_a_past_deadline_is_refused(self):
        with translation.override("en"), self.assertRaisesMessage(ValidationError, "cannot be in the past"):
            services.rectification_update(
                order=self.order, by=self.director, deadline=DEADLINE - timedelta(days=1), today=DEADLINE
            )
        # The requirement alone may still be amended, whatever the deadline has become.
        services.rectification_update(
            order=self.order, by=self.director, requirement="更换全部密封条", today=DEADLINE + timedelta(days=3)
        )

    def test_an_overdue_order_given_a_new_deadline_is_back_in_hand_and_escalates_afresh(self):
        late = DEADLINE + timedelta(days=4)
        services.rectifications_sweep_overdue(today=DEADLINE + timedelta(days=1))
        services.rectifications_sweep_overdue(today=late)
        self.order.refresh_from_db()
        self.assertEqual((self.order.status, self.order.escalation_level), ("overdue", 2))
        new_deadline = late + timedelta(days=5)
        services.rectification_update(order=self.order, by=self.director, deadline=new_deadline, today=late)
        self.order.refresh_from_db()
        self.assertEqual((self.order.status, self.order.escalation_level), ("issued", 0))
        history = list(self.order.history.order_by("history_id").values_list("status", "escalation_level"))
        self.assertEqual(history[-1], ("issued", 0))
        self.assertEqual(
            services.rectifications_sweep_overdue(today=new_deadline), {"marked_overdue": 0, "escalated": 0}
        )
        services.rectifications_sweep_overdue(today=new_deadline + timedelta(days=1))
        self.order.refresh_from_db()
        self.assertEqual((self.order.status, self.order.escalation_level), ("overdue", 1))
        # Missing the new deadline reaches the workstation again.
        self.assertEqual(escalations(self.order).filter(recipient=self.director).count(), 2)

    def test_in_a_later_round_it_goes_back_to_reopened(self):
        Rectification.objects.filter(pk=self.order.pk).update(status="overdue", round=2, escalation_level=1)
        services.rectification_update(
            order=self.order,
            by=self.director,
            deadline=DEADLINE + timedelta(days=9),
            today=DEADLINE + timedelta(days=2),
        )
        self.order.refresh_from_db()
        self.assertEqual((self.order.status, self.order.escalation_level, self.order.round), ("reopened", 0, 2))


class PartyNotifiedTest(WorldTestCase):
    def test_the_order_reaches_the_responsible_party_by_sms_once_per_round(self):
        director = self.world.users["director"]
        report = f.make_report(self.world.a, self.world.users["inspector"])
        deadline = timezone.localdate() + timedelta(days=10)
        # Delivery runs here, not on a broker (REDIS_URL may be set).
        deliver = delivered_in_process()
        with deliver, mock.patch("mobilization.sms.LoggingSMSBackend.send") as sms:
            with self.captureOnCommitCallbacks(execute=True):
                order = services.rectification_issue(
                    by=director, report=report, requirement="更换密封条", deadline=deadline
                )
            self.assertEqual(sms.call_count, 1)
            phone, text = sms.call_args.args
            self.assertEqual(phone, "13900000000")
            self.assertIn("更换密封条", text)
            self.assertIn(deadline.isoformat(), text)
            with self.captureOnCommitCallbacks(execute=True):
                services.rectification_update(order=order, by=director, requirement="更换全部密封条")
                deliver_notifications(key=f"rectification:{order.pk}:issued")  # a second delivery run
            self.assertEqual(sms.call_count, 1, "amending the requirement alone sends nothing; no copy is sent twice")
            with self.captureOnCommitCallbacks(execute=True):
                services.rectification_complete(order=order, by=director, files=[f.photo_upload()])
                services.rectification_reopen(order=order, by=director, deadline=deadline + timedelta(days=5))
            self.assertEqual(sms.call_count, 2, "the new round reaches the party")
        self.assertEqual(
            Notification.objects.filter(key=f"rectification:{order.pk}:issued", recipient=report.inspector).count(), 1
        )
