"""One switch for an HTTP-only intranet, and a production start-up that refuses to run without
collected static files (issue 12)."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from mobilization.deploy import require_collected_static
from mobilization.settings import transport_security
from tests.base import WorldTestCase

PROFILE = {"SECRET_KEY": "x" * 50, "DEBUG": "false", "FIELD_ENCRYPTION_KEY": "k" * 32}


def _production_settings(**env):
    """The security settings as the production profile computes them from the environment."""
    names = ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS"]
    code = f"from mobilization import settings as s; import json; print(json.dumps([getattr(s, n) for n in {names}]))"
    clean = {k: v for k, v in __import__("os").environ.items() if k not in ("HTTPS", "SECURE_SSL_REDIRECT")}
    out = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **PROFILE, **env}, capture_output=True, text=True, check=True
    )
    return dict(zip(names, json.loads(out.stdout), strict=True))


class TransportSwitchTest(WorldTestCase):
    def test_one_switch_turns_off_the_redirect_the_secure_cookies_and_hsts_together(self):
        self.assertEqual(
            _production_settings(),
            {"SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
             "SECURE_HSTS_SECONDS": 31536000},
        )  # fmt: skip
        off = {"SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False,
               "SECURE_HSTS_SECONDS": 0}  # fmt: skip
        self.assertEqual(_production_settings(HTTPS="false"), off)
        self.assertEqual(_production_settings(SECURE_SSL_REDIRECT="false"), off)

    @override_settings(**transport_security(False))
    def test_the_admin_logs_in_over_plain_http_with_csrf_enforced(self):
        client = Client(enforce_csrf_checks=True)
        page = client.get("/admin/login/", secure=False)
        self.assertEqual(page.status_code, 200)
        self.assertFalse(page.cookies["csrftoken"]["secure"])
        response = client.post(
            "/admin/login/?next=/admin/",
            {
                "username": "t_root",
                "password": self.world.PASSWORD,
                "csrfmiddlewaretoken": page.cookies["csrftoken"].value,
            },
            secure=False,
        )
        self.assertEqual(response.status_code, 302, response.content[:500])
        self.assertEqual(response["Location"], "/admin/")
        self.assertFalse(response.cookies["sessionid"]["secure"])
        self.assertEqual(client.get("/admin/", secure=False).status_code, 200)

    @override_settings(**transport_security(True))
    def test_with_https_the_cookies_are_secure_and_plain_http_is_redirected(self):
        self.assertEqual(self.client.get("/admin/login/", secure=False).status_code, 301)
        page = self.client.get("/admin/login/", secure=True)
        self.assertTrue(page.cookies["csrftoken"]["secure"])


class CollectedStaticTest(WorldTestCase):
    def test_the_web_process_refuses_to_start_without_the_manifest(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        with override_settings(STORAGES=storages, STATIC_ROOT=folder.name):
            with self.assertRaisesMessage(ImproperlyConfigured, "Static files were not collected"):
                require_collected_static()
            (Path(folder.name) / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
            require_collected_static()
