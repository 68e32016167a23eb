"""Words of installed packages that ship no Simplified Chinese (simple-history's history page,
django-axes' and django-otp's admin names): marked here so that our catalogue translates them,
and the package apps named in words (`name_package_apps`)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

__all__ = ["PACKAGE_STRINGS", "name_package_apps"]

PACKAGE_STRINGS = [
    gettext_noop("Changes"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt"),
    gettext_noop("access failures"),
    gettext_noop("access failure"),
    gettext_noop("access logs"),
    gettext_noop("access log"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access attempt expiration"),
    gettext_noop("TOTP devices"),
    gettext_noop("TOTP device"),
]

# Package apps whose admin heading is their bare label ("Axes", "Otp_Totp").
APP_NAMES = {"axes": _("Login lockouts"), "otp_totp": _("Two-factor devices")}


def name_package_apps():
    from django.apps import apps

    for label, name in APP_NAMES.items():
        if apps.is_installed(label) or label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
