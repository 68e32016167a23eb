"""Escalation of the silent: the second text after N minutes, then the leader and the liaison,
each once per person, through the service, the command and the beat schedule."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from mobilization.models import Notification, SMSMessage
from teams.models import PersonCall
from teams.services import callout_answer, callout_escalate
from tests.base import WorldTestCase
from tests.factories import add_member, make_team

from .test_callout import SMSFileMixin, make_activation, phone

T0 = timezone.make_aware(datetime.datetime(2026, 9, 18, 10, 0))


def minutes(m):
    return T0 + datetime.timedelta(minutes=m)


class EscalationTest(SMSFileMixin, WorldTestCase):
    def setUp(self):
        super().setUp()
        self.team = make_team(self.world.a)
        self.leader = add_member(self.team, phone=phone(), role="leader")
        self.silent = add_member(self.team, phone=phone())
        self.answering = add_member(self.team, phone=phone())
        self.activation = make_activation(self.world.a, remind_after_minutes=10, escalate_after_minutes=5)
        self.call_out(activation=self.activation, by=None, teams=[self.team], now=T0)
        callout_answer(call=PersonCall.objects.get(person=self.answering), answer="yes", eta_minutes=5, now=minutes(2))
        callout_answer(call=PersonCall.objects.get(person=self.leader), answer="yes", now=minutes(2))

    def escalate(self, m):
        with self.captureOnCommitCallbacks(execute=True):
            return callout_escalate(now=minutes(m))

    def test_reminder_then_leader_each_once(self):
        self.assertEqual(self.escalate(9), {"reminded": 0, "escalated": 0})
        self.assertEqual(self.escalate(10), {"reminded": 1, "escalated": 0})
        self.assertEqual(self.escalate(11), {"reminded": 0, "escalated": 0})
        reminders = [t for t in self.texts() if "2nd notice" in t["text"] or "再次" in t["text"] or "第二" in t["text"]]
        self.assertEqual([t["to"] for t in reminders], [self.silent.phone])
        self.assertEqual(self.escalate(15), {"reminded": 0, "escalated": 1})
        self.assertEqual(self.escalate(30), {"reminded": 0, "escalated": 0})
        # The leader got one text about the silent member; the unit's liaison one notification.
        about = SMSMessage.objects.filter(key__endswith=f":{self.silent.pk}:escalated")
        self.assertEqual(about.count(), 0)  # notifications carry their own keys
        leader_texts = [t for t in self.texts() if t["to"] == self.leader.phone and self.silent.name in t["text"]]
        self.assertEqual(len(leader_texts), 1)
        notes = Notification.objects.filter(key=f"callout:{self.activation.pk}:{self.silent.pk}:escalated")
        self.assertEqual(set(notes.exclude(recipient=None).values_list("recipient__username", flat=True)), {"t_unit"})
        call = PersonCall.objects.get(person=self.silent)
        self.assertEqual((call.reminded_at, call.escalated_at), (minutes(10), minutes(15)))

    def test_an_answer_before_the_step_stops_it(self):
        callout_answer(call=PersonCall.objects.get(person=self.silent), answer="no", reason="出差", now=minutes(8))
        self.assertEqual(self.escalate(60), {"reminded": 0, "escalated": 0})

    def test_the_command_takes_now_and_rejects_bad_dates(self):
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("escalate_callouts", "--now", "2026-09-18T10:10:00", stdout=out)
        self.assertIn("1 reminded, 0 leaders told", out.getvalue())
        from django.core.management.base import CommandError

        with self.assertRaises(CommandError):
            call_command("escalate_callouts", "--today", "2026-13-01", stdout=StringIO())

    def test_the_sweep_is_scheduled_every_minute(self):
        from django_celery_beat.models import PeriodicTask

        job = PeriodicTask.objects.select_related("crontab").get(task="teams.callout_escalate")
        self.assertEqual(job.crontab.minute, "*")
