"""The running system: health check, OpenAPI, Celery wiring, deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from mobilization.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


class HealthTest(TestCase):
    def test_healthz_reports_database_cache_and_broker(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        for part in ("database", "cache", "broker"):
            self.assertTrue(body[part]["ok"], body)
        self.assertEqual(body["broker"]["mode"], "redis" if settings.REDIS_URL else "eager")


class OpenAPITest(TestCase):
    def test_schema_generates_and_docs_use_local_assets(self):
        schema = self.client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
        self.assertEqual(schema.status_code, 200)
        self.assertIn("/api/v1/regions/", schema.json()["paths"])
        docs = self.client.get(reverse("api-docs"))
        self.assertEqual(docs.status_code, 200)
        html = docs.content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/", html)
        self.assertNotIn("cdn.", html)
        self.assertNotIn("unpkg", html)

    def test_schema_has_no_generation_warnings(self):
        result = subprocess.run(
            [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", os.devnull],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "DATABASE_URL": "sqlite:///:memory:"},
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])


class CeleryWiringTest(TestCase):
    def test_eager_without_redis_and_broker_with_it(self):
        if settings.REDIS_URL:
            self.assertFalse(celery_app.conf.task_always_eager)
            self.assertTrue(celery_app.conf.broker_url.startswith("redis"))
        else:
            self.assertTrue(celery_app.conf.task_always_eager)


class PostMigrateTest(TestCase):
    """The role groups and beat schedules are brought up to date once per migrate, not once per app."""

    def test_one_migrate_runs_each_handler_once(self):
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            call_command("migrate", verbosity=0, interactive=False)
        sql = [query["sql"] for query in ctx.captured_queries]
        # sync_role_groups looks up each role's group by name; ensure_periodic_tasks each schedule.
        group_lookups = [q for q in sql if '"auth_group"' in q and "'auditor'" in q and q.startswith("SELECT")]
        first_task = apps.get_app_config("mobilization").periodic_tasks[0][0]
        task_lookups = [q for q in sql if "periodictask" in q and f"'{first_task}'" in q and q.startswith("SELECT")]
        self.assertEqual((len(group_lookups), len(task_lookups)), (1, 1), "\n".join(group_lookups + task_lookups))


class DeployCheckTest(TestCase):
    def test_check_deploy_is_clean_in_the_production_profile(self):
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
            "FIELD_ENCRYPTION_KEY": "another-long-production-key-for-fields",
            "ALLOWED_HOSTS": "mobilization.example",
            "DATABASE_URL": "sqlite:///:memory:",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_production_refuses_to_start_without_its_own_field_key(self):
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
            "ALLOWED_HOSTS": "mobilization.example",
            "DATABASE_URL": "sqlite:///:memory:",
        }
        env.pop("FIELD_ENCRYPTION_KEY", None)
        result = subprocess.run(
            [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, env=env
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Set FIELD_ENCRYPTION_KEY", result.stderr)
