"""With the broker down, a request that notifies still succeeds: the notification rows (the outbox)
are committed with it, the failed enqueue is logged, and the sweep sends every copy exactly once
when the broker is back (issue 12)."""

import datetime
import socket
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from mobilization.celery import app
from mobilization.choices import NotificationKindChoices
from mobilization.models import Notification
from mobilization.services import deliver_pending_notifications, notify, sms_send_due
from tests.base import World


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BrokerDownTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World()
        cls.users = list(cls.world.users.values())

    def _broker_down(self):
        saved = (app.conf.broker_url, app.conf.task_always_eager)
        app.conf.broker_url, app.conf.task_always_eager = f"redis://127.0.0.1:{_closed_port()}/0", False
        app._pool = None
        app.amqp._producer_pool = None

        def restore():
            app.conf.broker_url, app.conf.task_always_eager = saved
            app._pool = None
            app.amqp._producer_pool = None

        self.addCleanup(restore)

    def test_notifying_succeeds_and_the_sweep_sends_each_copy_once(self):
        self._broker_down()
        with self.assertLogs("mobilization.tasks", "WARNING") as logs, self.captureOnCommitCallbacks(execute=True):
            created = notify(
                recipients=self.users,
                key="k:outage",
                kind=NotificationKindChoices.ALARM_TEST_DRILL,
                title="提醒",
                sms=True,
            )
        self.assertEqual(created, len(self.users))
        self.assertIn("Broker unavailable: mobilization.deliver_notifications('k:outage',)", logs.output[0])
        pending = Notification.objects.filter(key="k:outage", sms_sent_at__isnull=True)
        self.assertEqual(pending.count(), len(self.users))
        # The broker is back: beat's sweep finds the copies no task sent.
        Notification.objects.filter(key="k:outage").update(created=timezone.now() - datetime.timedelta(minutes=30))
        with mock.patch("mobilization.sms.LoggingSMSBackend.send") as sms:
            self.assertEqual(deliver_pending_notifications(), {"k:outage": len(self.users)})
            self.assertEqual(deliver_pending_notifications(), {})
            self.assertEqual(sms_send_due(), {"n:k:outage": len(self.users)})
            self.assertEqual(sms_send_due(), {})
        self.assertEqual(sms.call_count, len(self.users))
        self.assertEqual(pending.count(), 0)
