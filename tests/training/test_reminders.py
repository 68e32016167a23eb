"""The 9.18 alarm test reminders: which lead time is due on which Beijing date, who is reminded,
and that each recipient gets each reminder exactly once (in the app, by email and by SMS)."""

import datetime
import io
from unittest import mock

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from mobilization.choices import RoleChoices
from mobilization.fields import hashed_lookup
from mobilization.models import Notification
from mobilization.services import notify, user_assign_role
from tests.base import World, delivered_in_process
from tests.factories import add_member, make_drill, make_exercise, make_team
from training import selectors, services
from training.models import AlarmTestDrill

D = datetime.date


DUE = [
    # (today in Beijing, lead time due) for a drill on 18 September 2026, reminders 30, 7 and 1 days before
    (D(2026, 8, 18), None),
    (D(2026, 8, 19), 30),
    (D(2026, 8, 25), 30),  # a missed 30-day run is caught up, still as the 30-day reminder
    (D(2026, 9, 10), 30),
    (D(2026, 9, 11), 7),
    (D(2026, 9, 16), 7),
    (D(2026, 9, 17), 1),
    (D(2026, 9, 18), 1),
    (D(2026, 9, 19), None),
]


def _drill_at(local):
    return AlarmTestDrill(
        scheduled_at=timezone.make_aware(local, timezone.get_default_timezone()), reminder_days="30,7,1"
    )


class DueLeadTest(TestCase):
    def test_lead_time_due_per_day(self):
        drill = _drill_at(datetime.datetime(2026, 9, 18, 10, 0))
        for today, lead in DUE:
            with self.subTest(today=today):
                self.assertEqual(selectors.drill_reminder_due_lead(drill=drill, today=today), lead)

    def test_dates_are_beijing_dates(self):
        # 00:30 on 18 September in Beijing is still 17 September in UTC.
        drill = _drill_at(datetime.datetime(2026, 9, 18, 0, 30))
        self.assertEqual(drill.scheduled_at.astimezone(datetime.UTC).date(), D(2026, 9, 17))
        self.assertEqual(drill.local_date, D(2026, 9, 18))
        self.assertEqual(selectors.drill_reminder_due_lead(drill=drill, today=D(2026, 9, 17)), 1)
        self.assertEqual(selectors.drill_reminder_due_lead(drill=drill, today=D(2026, 8, 19)), 30)

    def test_default_is_18_september_with_30_7_1(self):
        drill = AlarmTestDrill()
        local = timezone.localtime(drill.scheduled_at, timezone.get_default_timezone())
        self.assertEqual((local.month, local.day), (9, 18))
        self.assertEqual(drill.lead_days, [30, 7, 1])


class ReminderTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World()
        a = cls.world.a
        cls.team = make_team(a)
        cls.leader_user = user_assign_role(
            username="t_leader", role=RoleChoices.UNIT_LIAISON, region=a.county, member_unit=a.other_unit,
            phone="13912345678", email="leader@example.org",
        )  # fmt: skip
        leader = add_member(cls.team, role="leader")
        leader.phone = "13912345678"
        leader.save()
        cls.drill = make_drill(a, year=2026, teams=[cls.team])
        cls.outsider = make_drill(cls.world.b, year=2026)

    def recipients(self, lead):
        return set(
            Notification.objects.filter(key=services.drill_reminder_key(self.drill, lead)).values_list(
                "recipient__username", flat=True
            )
        )

    def test_who_is_reminded(self):
        services.drill_reminders_send_due(today=D(2026, 8, 19))
        # Office staff of the drill's district, the participating unit's liaison, the team leader;
        # not the city office (above the district), nor the roles that do not run drills, nor side B.
        self.assertEqual(self.recipients(30), {"t_office", "t_unit", "t_leader"})
        self.assertFalse(Notification.objects.filter(key=services.drill_reminder_key(self.outsider, 30)).exists())

    def test_units_and_evacuation_drills_bring_their_liaisons(self):
        liaison = user_assign_role(
            username="t_school", role=RoleChoices.UNIT_LIAISON, region=self.world.a.county,
            member_unit=self.world.a.child_unit,
        )  # fmt: skip
        evacuation = make_exercise(self.world.a, kind="evacuation", teams=[], drill=self.drill)
        evacuation.units.set([self.world.a.child_unit])
        services.drill_reminders_send_due(today=D(2026, 9, 11))
        self.assertIn(liaison.username, self.recipients(7))

    def test_each_recipient_gets_each_reminder_once(self):
        days = [D(2026, 8, 19), D(2026, 8, 19), D(2026, 8, 20), D(2026, 9, 11), D(2026, 9, 12), D(2026, 9, 17)]
        # Delivery runs here, not on a broker (REDIS_URL may be set: test_worker covers the real one).
        deliver = delivered_in_process()
        with deliver, mock.patch("mobilization.sms.LoggingSMSBackend.send") as sms:
            for today in days:
                with self.captureOnCommitCallbacks(execute=True):
                    services.drill_reminders_send_due(today=today)
        notes = Notification.objects.filter(key__startswith=f"drill:{self.drill.pk}:")
        self.assertEqual(notes.count(), 3 * 3)  # three recipients, three lead times
        pairs = list(notes.values_list("recipient_id", "key"))
        self.assertEqual(len(pairs), len(set(pairs)))
        self.assertEqual(len(mail.outbox), 9)
        self.assertEqual(sms.call_count, 9)
        self.assertFalse(notes.filter(email_sent_at__isnull=True).exists())

    def test_rerun_after_a_partial_run_adds_only_the_missing(self):
        key = services.drill_reminder_key(self.drill, 30)
        unit = get_user_model().objects.get(username="t_unit")
        notify(recipients=[unit], key=key, kind="alarm_test_drill", title="已提醒")  # as if a run died after one
        created = services.drill_reminder_send(drill=self.drill, lead_days=30)
        self.assertEqual(created, 2)
        self.assertEqual(self.recipients(30), {"t_office", "t_unit", "t_leader"})
        self.assertEqual(Notification.objects.get(key=key, recipient=unit).title, "已提醒")

    def test_command_takes_today(self):
        out = io.StringIO()
        call_command("send_drill_reminders", today="2026-09-17", stdout=out)
        self.assertIn("1-day reminder, 3 new", out.getvalue())
        out = io.StringIO()
        call_command("send_drill_reminders", today="2026-09-17", stdout=out)
        self.assertIn("1-day reminder, 0 new", out.getvalue())


class LeaderWithoutAccountTest(TestCase):
    """A team leader who has no account still hears of the drill: by SMS to the phone on the
    roster, once per lead time, however often the job runs; a leader with an account is
    reached as a user and not texted twice."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World()
        a = cls.world.a
        cls.team = make_team(a)
        leader = add_member(cls.team, role="leader")
        leader.phone = "13700001111"
        leader.save()
        cls.drill = make_drill(a, year=2026, teams=[cls.team])

    def test_texted_once_per_lead_time(self):
        deliver = delivered_in_process()
        with deliver, mock.patch("mobilization.sms.LoggingSMSBackend.send") as sms:
            for today in [D(2026, 8, 19), D(2026, 8, 19), D(2026, 9, 11), D(2026, 9, 17), D(2026, 9, 17)]:
                with self.captureOnCommitCallbacks(execute=True):
                    services.drill_reminders_send_due(today=today)
        texts = [call.args for call in sms.call_args_list if call.args[0] == "13700001111"]
        self.assertEqual(len(texts), 3)  # 30, 7 and 1 days before
        self.assertIn(self.drill.title, texts[0][1])
        rows = Notification.objects.filter(**hashed_lookup("phone", "13700001111"))
        self.assertEqual(rows.count(), 3)
        self.assertFalse(rows.filter(recipient__isnull=False).exists())
        self.assertFalse(rows.filter(sms_sent_at__isnull=True).exists())
        # The SMS-only rows are nobody's in-app notifications.
        office = self.world.users["office"]
        self.assertFalse(
            Notification.objects.visible_to(office).filter(**hashed_lookup("phone", "13700001111")).exists()
        )

    def test_a_leader_with_an_account_is_reached_as_a_user(self):
        user_assign_role(
            username="t_leader", role=RoleChoices.UNIT_LIAISON, region=self.world.a.county,
            member_unit=self.world.a.other_unit, phone="13700001111",
        )  # fmt: skip
        services.drill_reminder_send(drill=self.drill, lead_days=30)
        key = services.drill_reminder_key(self.drill, 30)
        self.assertTrue(Notification.objects.filter(key=key, recipient__username="t_leader").exists())
        self.assertFalse(Notification.objects.filter(key=key, recipient__isnull=True).exists())


class NotifyQuerysetTest(TestCase):
    """notify() given a queryset fans out in the database, once per user, whatever the joins."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World()

    def test_one_row_per_user_and_none_the_second_time(self):
        users = get_user_model().objects.filter(username__startswith="t_", profile__isnull=False)
        # A join that repeats users must not repeat notifications.
        repeated = users.filter(groups__isnull=False) | users.filter(profile__isnull=False)
        self.assertEqual(notify(recipients=repeated, key="k1", kind="test", title="标题"), users.count())
        self.assertEqual(notify(recipients=repeated, key="k1", kind="test", title="标题"), 0)
        self.assertEqual(Notification.objects.filter(key="k1").count(), users.count())
        note = Notification.objects.filter(key="k1").first()
        self.assertEqual((note.kind, note.title, note.send_email, note.read_at), ("test", "标题", False, None))

    def test_empty_queryset(self):
        self.assertEqual(notify(recipients=get_user_model().objects.none(), key="k2", kind="test", title="t"), 0)


class BeatScheduleTest(TestCase):
    def test_daily_reminder_job_is_scheduled_in_beijing_time(self):
        from django_celery_beat.models import PeriodicTask

        job = PeriodicTask.objects.select_related("crontab").get(task="training.send_drill_reminders")
        self.assertEqual((job.crontab.hour, job.crontab.minute, str(job.crontab.timezone)), ("8", "0", "Asia/Shanghai"))

    def test_the_task_runs_the_service(self):
        from training.tasks import send_drill_reminders_task

        with mock.patch("training.services.drill_reminders_send_due", return_value=[]) as due:
            send_drill_reminders_task.run(today="2026-09-11")
        due.assert_called_once_with(today=D(2026, 9, 11))
