"""Outages survived (issue 12, item 8) on a real Redis broker and a real Celery worker process.

The broker is a redis-server of this test's own, on a free port, so it can be killed and started
again without touching the shared one. Both tests need PostgreSQL (the worker process reaches
the test database) and Redis (skipped without REDIS_URL, failing under REQUIRE_SERVICES=1).

- Redis killed: a roster approval and a rectification order still succeed through the API, their
  notifications are in the database (the outbox), `/healthz` says the broker is down; Redis back,
  beat's sweep sends every copy, and a second sweep sends nothing again.
- The worker killed with SIGKILL in the middle of a 10,000-recipient SMS fan-out: after a restart
  and the sweep, every recipient has had exactly one message (none lost, none twice).
"""

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mobilization.celery import app
from mobilization.choices import NotificationKindChoices, SMSStatusChoices
from mobilization.models import Notification, SMSMessage
from mobilization.services import notify
from mobilization.tasks import deliver_pending_notifications_task
from tests.base import World, restore_migrated_rows
from tests.factories import make_change, make_report

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, what, *, timeout=120, process=None, log=None):
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"the worker exited ({process.returncode}) waiting for {what}: {_tail(log)}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}: {_tail(log)}")
        time.sleep(0.1)


def _tail(log):
    return log.read_text()[-3000:] if log is not None and log.exists() else ""


class PrivateRedis:
    """A redis-server on a port of its own, killed and started again at will."""

    def __init__(self, tmp_path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process = None

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.dir)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(self._answers, "redis-server to start", timeout=30)

    def kill(self):
        self.process.kill()
        self.process.wait()
        self.process = None

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Worker:
    """A Celery worker process (solo pool) on the test database and the private broker."""

    def __init__(self, broker_url, tmp_path):
        db = connection.settings_dict
        auth = f"{quote(db['USER'])}:{quote(db['PASSWORD'])}@" if db["USER"] else ""
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": broker_url,
            "SMS_BACKEND": "mobilization.sms.FileSMSBackend",
            "SMS_FILE_PATH": str(tmp_path / "sms.jsonl"),
        }
        self.sms_file = tmp_path / "sms.jsonl"
        self.tmp_path = tmp_path
        self.process = None
        self.log = None
        self.runs = 0

    def start(self):
        self.runs += 1
        self.log = self.tmp_path / f"worker-{self.runs}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "mobilization", "worker", "-P", "solo", "-l", "info",
            "-n", f"outage-{os.getpid()}-{self.runs}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-f", str(self.log),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait_for(lambda: self.log.exists() and "ready." in self.log.read_text(), "the worker to start", **self.watch)

    @property
    def watch(self):
        return {"process": self.process, "log": self.log}

    def kill(self, sig=signal.SIGKILL):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def sms_count(self):
        return self.sms_file.read_bytes().count(b"\n") if self.sms_file.exists() else 0

    def sms_lines(self):
        if not self.sms_file.exists():
            return []
        return [json.loads(line) for line in self.sms_file.read_text().splitlines()]


@pytest.fixture
def services_up(redis_url, tmp_path, settings):
    """(redis, worker): the private broker started, the worker not yet; this process publishes there.
    (`redis_url`, the shared Redis, only says that Redis is there to be used.)"""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process reaches the test database only on PostgreSQL (SQLite's is in memory)")
    restore_migrated_rows()
    redis = PrivateRedis(tmp_path)
    redis.start()
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue = redis.url, False, "celery"
    app._pool = None
    app.amqp._producer_pool = None
    settings.REDIS_URL = redis.url  # /healthz reports this broker
    worker = Worker(redis.url, tmp_path)
    try:
        yield redis, worker
    finally:
        worker.kill(signal.SIGTERM)
        if redis.process is not None:
            redis.kill()
        app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue = saved
        app._pool = None
        app.amqp._producer_pool = None


def _sweep(worker):
    """What beat does every 10 minutes, ten minutes later: send what is still pending."""
    Notification.objects.update(created=timezone.now() - datetime.timedelta(minutes=10))
    before = _sweeps_done(worker)
    deliver_pending_notifications_task.apply_async()
    _wait_for(lambda: _sweeps_done(worker) > before, "the sweep", **worker.watch)


def _sweeps_done(worker):
    text = "".join(log.read_text() for log in worker.tmp_path.glob("worker-*.log"))
    return sum(
        1
        for line in text.splitlines()
        if "Task mobilization.deliver_pending_notifications[" in line and " succeeded in " in line
    )


def _pending():
    """SMS copies not yet queued as text messages, and text messages queued but not yet sent."""
    copies = Notification.objects.filter(send_sms=True, sms_sent_at__isnull=True).count()
    return copies + SMSMessage.objects.filter(status=SMSStatusChoices.QUEUED).count()


def test_with_redis_down_requests_succeed_and_redis_back_every_notification_goes_once(services_up):
    redis, worker = services_up
    world = World()
    office, director, unit = (world.users[role] for role in ("office", "director", "unit"))
    change = make_change(unit, world.a)
    report = make_report(world.a, world.users["inspector"])
    worker.start()
    earlier = list(Notification.objects.values_list("pk", flat=True))

    redis.kill()
    client = APIClient()
    client.force_authenticate(office)
    approved = client.post(reverse("api:rosterchange-approve", args=[change.pk]), format="json")
    assert approved.status_code == 200, approved.content
    client.force_authenticate(director)
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    ordered = client.post(
        reverse("api:rectification-list"),
        {"report": report.pk, "requirement": "更换密封条", "deadline": deadline},
        format="json",
    )
    assert ordered.status_code == 201, ordered.content
    health = client.get("/healthz").json()
    assert (health["status"], health["database"]["ok"], health["broker"]["ok"]) == ("degraded", True, False)
    # The outbox: every notification is in the database, the SMS to the responsible party pending.
    notes = Notification.objects.exclude(pk__in=earlier)
    kinds = Counter(notes.values_list("kind", flat=True))
    assert kinds == {NotificationKindChoices.ROSTER_CHANGE: 1, NotificationKindChoices.RECTIFICATION: 2}
    assert notes.get(kind=NotificationKindChoices.ROSTER_CHANGE).recipient == unit
    assert _pending() == 1

    redis.start()
    assert client.get("/healthz").json()["broker"]["ok"] is True
    _sweep(worker)
    _wait_for(lambda: _pending() == 0, "the pending SMS", **worker.watch)
    _sweep(worker)  # again: nothing is sent twice
    lines = worker.sms_lines()
    assert [(line["to"], "更换密封条" in line["text"]) for line in lines] == [("13900000000", True)]
    assert notes.count() == 3


def test_worker_killed_mid_fan_out_loses_and_repeats_no_message(services_up):
    redis, worker = services_up
    worker.start()
    phones = [f"139{i:08d}" for i in range(10_000)]
    notify(
        recipients=[],
        key="drill:fan-out",
        kind=NotificationKindChoices.ALARM_TEST_DRILL,
        title="9·18 防空警报试鸣",
        phones=phones,
    )  # committed: its delivery task is queued on commit
    assert Notification.objects.filter(key="drill:fan-out").count() == 10_000

    _wait_for(lambda: worker.sms_count() >= 2_000, "the fan-out to be under way", **worker.watch)
    worker.kill()  # kill -9 in the middle of the task (its message is unacknowledged: acks_late)
    sent_before = worker.sms_count()
    recorded = SMSMessage.objects.filter(batch="n:drill:fan-out", status=SMSStatusChoices.DELIVERED).count()
    assert 2_000 <= sent_before < 10_000
    assert _pending() > 0

    worker.start()
    _sweep(worker)
    _wait_for(lambda: _pending() == 0, "the rest of the fan-out", timeout=180, **worker.watch)
    lines = worker.sms_lines()
    by_phone = Counter(line["to"] for line in lines)
    assert len(lines) == 10_000  # none twice
    assert set(by_phone) == set(phones)  # none lost
    assert len({line["id"] for line in lines}) == 10_000
    assert Notification.objects.filter(key="drill:fan-out", sms_sent_at__isnull=False).count() == 10_000
    # What the killed worker had sent but not yet recorded was sent again with the same message ids,
    # and not written twice.
    repeats = sum(log.read_text().count(" already sent: not sent again") for log in worker.tmp_path.glob("*.log"))
    assert repeats == sent_before - recorded
