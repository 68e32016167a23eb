"""A real Celery worker for tests that go through the broker.

Without REDIS_URL tasks run eagerly in-process and `celery_worker()` does nothing. With Redis
it starts a worker in a thread of this test process, consuming a queue of its own (tasks are
published to it while the block runs), so that parallel test processes never take each
other's tasks. Use it only from TransactionTestCase / live-server tests: the worker thread has
its own database connection and sees only committed rows.
"""

import os
import uuid
from contextlib import contextmanager

from celery.signals import task_postrun
from django.db import connections

from mobilization.celery import app as celery_app

__all__ = ["celery_worker"]


def _close_connections(**kwargs):
    # The worker thread's connection would otherwise outlive the test and block the test
    # database's teardown on PostgreSQL.
    connections.close_all()


@contextmanager
def celery_worker():
    if celery_app.conf.task_always_eager:
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    queue = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    task_postrun.connect(_close_connections, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=[queue]) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_connections)
        celery_app.conf.task_default_queue = previous
