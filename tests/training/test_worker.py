"""The reminder task on a real Redis broker and a real Celery worker (a separate process with two
pool processes), sent twice at once for each reminder: exactly one notification per recipient and
lead time, and each email copy sent once."""

import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from mobilization.choices import RoleChoices
from mobilization.models import Notification
from mobilization.services import user_assign_role
from tests.base import World, restore_migrated_rows
from tests.factories import add_member, make_drill, make_team
from training import services
from training.tasks import send_drill_reminder_task, send_drill_reminders_task

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _migrated_rows(transactional_db):
    restore_migrated_rows()


def _database_url():
    db = connection.settings_dict
    auth = f"{quote(db['USER'])}:{quote(db['PASSWORD'])}@" if db["USER"] else ""
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(redis_url, tmp_path):
    """A Celery worker process on the test database, consuming a queue of its own (and the default
    queue, where delivery of the copies goes)."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process reaches the test database only on PostgreSQL (SQLite's is in memory)")
    queue = f"training-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": redis_url}
    command = [
        sys.executable, "-m", "celery", "-A", "mobilization", "worker", "-Q", f"{queue},celery", "-c", "2",
        "-P", "prefork", "-l", "info", "-n", f"{queue}@%h", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "-f", str(log),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_for(lambda: log.exists() and "ready." in log.read_text(), process, log, "the worker to start")
        yield process, queue, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(condition, process, log, what, timeout=180):
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the worker exited ({process.returncode}): {process.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; log: {log.read_text()[-3000:] if log.exists() else ''}")
        time.sleep(0.2)


def test_reminder_task_twice_at_once_sends_each_reminder_once(worker):
    process, queue, log = worker
    world = World()
    a = world.a
    team = make_team(a)
    leader = add_member(team, role="leader")
    leader.phone = "13912345678"
    leader.save()
    user_assign_role(
        username="t_leader", role=RoleChoices.UNIT_LIAISON, region=a.county, member_unit=a.other_unit,
        phone="13912345678", email="leader@example.org",
    )  # fmt: skip
    deputy_team = make_team(a)
    no_account = add_member(deputy_team, role="leader")  # a leader with no account: SMS alone
    no_account.phone = "13700001111"
    no_account.save()
    drill = make_drill(a, year=2026, teams=[team, deputy_team])
    expected = {"t_office", "t_unit", "t_leader"}

    # Twice the daily job (due on 19 August: the 30-day reminder), twice the 7-day reminder by hand.
    for _ in range(2):
        send_drill_reminders_task.apply_async(kwargs={"today": "2026-08-19"}, queue=queue)
        send_drill_reminder_task.apply_async(args=[drill.pk, 7], queue=queue)

    def finished():
        text = log.read_text()
        done = text.count("training.send_drill_reminders[") + text.count("training.send_drill_reminder[")
        return text.count(" succeeded in ") >= 4 and done >= 8  # 4 received + 4 succeeded lines

    _wait_for(finished, process, log, "the four reminder tasks")
    keys = [services.drill_reminder_key(drill, lead) for lead in (30, 7)]
    _wait_for(
        lambda: (
            not Notification.objects.filter(key__in=keys, send_email=True, email_sent_at__isnull=True).exists()
            and not Notification.objects.filter(key__in=keys, send_sms=True, sms_sent_at__isnull=True).exists()
        ),
        process,
        log,
        "delivery of the email and SMS copies",
    )
    for key in keys:
        rows = list(
            Notification.objects.filter(key=key, recipient__isnull=False).values_list("recipient__username", flat=True)
        )
        assert sorted(rows) == sorted(expected), (key, rows)  # each recipient once: no duplicate names
        phones = list(Notification.objects.filter(key=key, recipient__isnull=True).values_list("phone", flat=True))
        assert phones == ["13700001111"], (key, phones)  # the leader without an account, once
    assert "ERROR" not in log.read_text()
