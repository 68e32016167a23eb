"""The Celery app. Tasks run on Redis when REDIS_URL is set, eagerly in-process otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobilization.settings")

app = Celery("mobilization")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
