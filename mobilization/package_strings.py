"""Words of installed packages that ship no Simplified Chinese (simple-history's history page,
django-axes' and django-otp's admin names): marked here so that our catalogue translates them;
apps and models the packages name in plain strings are named again, translatably, at start-up
(`name_package_apps`)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

__all__ = ["DEFAULT_PERMISSIONS", "PACKAGE_STRINGS", "name_package_apps"]

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
    # django-axes' field names, shown on the lockout list and page.
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("Logout Time"),
]

# Django's default permissions, whose names it stores in English ("Can add %(verbose_name)s").
DEFAULT_PERMISSIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}

# Package apps whose admin heading is their bare label ("Axes", "Otp_Totp").
APP_NAMES = {"axes": _("Login lockouts"), "otp_totp": _("Two-factor devices")}


# Package models named in plain (untranslatable) strings: (app label, model) -> (name, plural).
MODEL_NAMES = {("otp_totp", "totpdevice"): (_("TOTP device"), _("TOTP devices"))}


def name_package_apps():
    from django.apps import apps

    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (label, model_name), (name, plural) in MODEL_NAMES.items():
        if label in apps.app_configs:
            opts = apps.get_model(label, model_name)._meta
            opts.verbose_name, opts.verbose_name_plural = name, plural
    if "axes" in apps.app_configs:
        apps.get_model("axes", "AccessAttempt").__str__ = _access_attempt_display


def _access_attempt_display(attempt):
    """A lockout's row as its page names it (django-axes names it in English)."""
    from django.utils import formats, timezone
    from django.utils.translation import gettext

    when = formats.date_format(timezone.localtime(attempt.attempt_time), "Y-m-d H:i") if attempt.attempt_time else ""
    return gettext("Failed logins of %(username)s from %(address)s, %(time)s") % {
        "username": attempt.username or "—",
        "address": attempt.ip_address or "—",
        "time": when,
    }
