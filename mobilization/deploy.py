"""Checks the web process makes before it serves anything in production."""

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ImproperlyConfigured

__all__ = ["require_collected_static"]


def require_collected_static():
    """With whitenoise's manifest storage every page names its assets through the manifest that
    `collectstatic` writes; without it each page would fail with a 500, so refuse to start instead."""
    if isinstance(staticfiles_storage, ManifestFilesMixin) and not staticfiles_storage.exists(
        staticfiles_storage.manifest_name
    ):
        raise ImproperlyConfigured(
            f"Static files were not collected: {staticfiles_storage.path(staticfiles_storage.manifest_name)} "
            "is missing. Run `manage.py collectstatic --noinput` before starting the web server."
        )
