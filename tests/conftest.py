"""Test configuration shared by every test folder.

Tests needing Redis (a real broker and worker) call `require_redis()`: without REDIS_URL they
are skipped, unless REQUIRE_SERVICES=1 (as in CI), where a skip would hide a missing service
and so fails instead.
"""

import os

import pytest
from django.conf import settings


def pytest_configure(config):
    # Hashing a password costs ~0.3 s with the production hasher; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def services_required():
    return os.environ.get("REQUIRE_SERVICES") == "1"


def require_redis():
    """The Redis URL, or skip (fail under REQUIRE_SERVICES=1) when none is configured."""
    url = os.environ.get("REDIS_URL")
    if not url:
        if services_required():
            pytest.fail("REQUIRE_SERVICES=1 but REDIS_URL is not set")
        pytest.skip("needs Redis: set REDIS_URL")
    return url


@pytest.fixture
def redis_url():
    return require_redis()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploads of each test land in a temporary folder of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"
