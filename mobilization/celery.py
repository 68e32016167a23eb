"""The Celery app. Tasks run on Redis when REDIS_URL is set, eagerly in-process otherwise."""

import logging
import os

from celery import Celery
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobilization.settings")

app = Celery("mobilization")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


logger = logging.getLogger("mobilization.tasks")


def enqueue_on_commit(task, *args):
    """Queue `task(*args)` once the transaction commits. A broker outage fails nothing and loses
    nothing: the rows the task acts on are committed with the request (they are its outbox), and
    the periodic sweep sends what is still pending once the broker is back."""

    def send():
        try:
            # No publish retries: a request must not wait on a broker that is down.
            task.apply_async(args=args, retry=False)
        except Exception:  # noqa: BLE001 - any broker error: the sweep is the fallback
            logger.warning("Broker unavailable: %s%r left to the periodic sweep", task.name, args, exc_info=True)

    transaction.on_commit(send)
