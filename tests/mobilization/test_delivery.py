"""Email and SMS copies of notifications: sent once each, and never lost when a worker dies
mid-run or the delivery task was never queued."""

import datetime
import json
import tempfile
from pathlib import Path
from unittest import mock

from django.core import mail
from django.test import TestCase
from django.utils import timezone

from mobilization.choices import SMSStatusChoices
from mobilization.models import Notification, SMSMessage
from mobilization.services import (
    deliver_notifications,
    deliver_pending_notifications,
    notify,
    sms_send_batch,
    sms_send_due,
)
from mobilization.sms import FileSMSBackend
from tests.base import World


class DeliveryTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World()
        cls.users = list(cls.world.users.values())

    def send(self, key):
        # Delivery is queued on commit; here it is run by hand, as a worker would.
        with mock.patch("mobilization.tasks.deliver_notifications_task.apply_async"):
            notify(recipients=self.users, key=key, kind="alarm_test_drill", title="提醒", email=True, sms=True)

    def test_a_worker_dying_mid_run_loses_nothing_and_repeats_at_most_one_copy(self):
        self.send("k:crash")
        # The copies: every email sent, every SMS copy queued as a text message, once.
        self.assertEqual(deliver_notifications(key="k:crash"), len(self.users))
        self.assertEqual(deliver_notifications(key="k:crash"), 0)
        self.assertEqual(len(mail.outbox), len(self.users))
        messages = SMSMessage.objects.filter(batch="n:k:crash")
        self.assertEqual(messages.filter(status=SMSStatusChoices.QUEUED).count(), len(self.users))
        texts = []

        def crash_on_third(phone, text):
            texts.append(phone)
            if len(texts) == 3:
                raise SystemExit("worker killed")

        # A backend that takes no message id: one message a transaction.
        with mock.patch("mobilization.sms.LoggingSMSBackend.send", side_effect=crash_on_third):
            with self.assertRaises(SystemExit):
                sms_send_batch(batch="n:k:crash")
        self.assertEqual(messages.filter(status=SMSStatusChoices.DELIVERED).count(), 2)  # recorded before the crash
        with mock.patch("mobilization.sms.LoggingSMSBackend.send") as sms:
            self.assertEqual(sms_send_batch(batch="n:k:crash")["sent"], len(self.users) - 2)
        self.assertFalse(messages.exclude(status=SMSStatusChoices.DELIVERED).exists())
        # Every recipient got the SMS; only the message being sent at the crash went out twice.
        self.assertEqual(len(texts) - 1 + sms.call_count, len(self.users))

    def test_copies_whose_task_was_lost_are_sent_by_the_sweep(self):
        self.send("k:lost")
        Notification.objects.filter(key="k:lost").update(created=timezone.now() - datetime.timedelta(minutes=30))
        self.send("k:fresh")  # its task may still be on its way: left to it
        with mock.patch("mobilization.sms.LoggingSMSBackend.send") as sms:
            self.assertEqual(deliver_pending_notifications(), {"k:lost": len(self.users)})
            self.assertEqual(deliver_pending_notifications(), {})
            self.assertEqual(sms_send_due(), {"n:k:lost": len(self.users)})  # the sweep's second half
            self.assertEqual(sms_send_due(), {})
        self.assertEqual(sms.call_count, len(self.users))
        self.assertTrue(Notification.objects.filter(key="k:fresh", sms_sent_at__isnull=True).exists())

    def test_the_sweep_is_scheduled(self):
        from django_celery_beat.models import PeriodicTask

        job = PeriodicTask.objects.select_related("crontab").get(task="mobilization.deliver_pending_notifications")
        self.assertEqual(job.crontab.minute, "*/10")


class CrashingSpool(FileSMSBackend):
    """A gateway spool whose worker dies (SystemExit) right after writing its `limit`-th message."""

    limit = None
    written = 0

    def send(self, phone, text, *, message_id=None):
        super().send(phone, text, message_id=message_id)
        CrashingSpool.written += 1
        if CrashingSpool.written == CrashingSpool.limit:
            raise SystemExit("worker killed")


class IdempotentSMSTest(TestCase):
    """With a backend that takes the message id, text messages go a batch per transaction: a worker
    dying mid-batch leaves the batch queued, and its resend is not a second message."""

    def test_a_worker_dying_mid_batch_loses_nothing_and_repeats_no_message(self):
        spool = Path(tempfile.mkdtemp()) / "sms.jsonl"
        phones = [f"137{i:08d}" for i in range(450)]
        notify(recipients=[], key="k:spool", kind="alarm_test_drill", title="试鸣", phones=phones)
        self.assertEqual(deliver_notifications(key="k:spool"), 450)  # queued as text messages
        messages = SMSMessage.objects.filter(batch="n:k:spool")
        CrashingSpool.limit, CrashingSpool.written = 250, 0
        backend = f"{__name__}.CrashingSpool"
        with self.settings(SMS_BACKEND=backend, SMS_FILE_PATH=spool):
            with self.assertRaises(SystemExit):
                sms_send_batch(batch="n:k:spool", chunk=200)
            # The first batch recorded; the second, 50 messages in, rolled back with the worker.
            self.assertEqual(messages.filter(status=SMSStatusChoices.DELIVERED).count(), 200)
            self.assertEqual(len(spool.read_text().splitlines()), 250)
            CrashingSpool.limit = None
            with self.assertLogs("mobilization.sms", "INFO") as logs:
                self.assertEqual(sms_send_batch(batch="n:k:spool", chunk=200)["sent"], 250)
        lines = [json.loads(line) for line in spool.read_text().splitlines()]
        self.assertEqual(sorted(line["to"] for line in lines), phones)  # each phone once: none lost, none twice
        self.assertEqual(sum("already sent: not sent again" in line for line in logs.output), 50)
        self.assertFalse(messages.exclude(status=SMSStatusChoices.DELIVERED).exists())
