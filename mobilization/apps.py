from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


def project_app_configs():
    """This project's own apps (the core and every app built on it), in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, ProjectAppConfig)]


class ProjectAppConfig(AppConfig):
    """An app of this project. It declares what each role may do with its models and which
    beat schedules it needs; `post_migrate` turns both into groups and periodic tasks.

    role_permissions: role -> permission codenames of this app's models, where "view:*"
        means view on every model of the app and "*" every permission.
    periodic_tasks: (name, task path, crontab fields) created once; editable in the admin after.
    """

    default_auto_field = "django.db.models.BigAutoField"
    role_permissions: dict = {}
    periodic_tasks: list = []

    def ready(self):
        from django.db.models.signals import post_migrate

        from .services import ensure_periodic_tasks, sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid=f"{self.label}-roles")
        post_migrate.connect(ensure_periodic_tasks, sender=self, dispatch_uid=f"{self.label}-beat")


class MobilizationConfig(ProjectAppConfig):
    name = "mobilization"
    verbose_name = _("Mobilization office")
    role_permissions = {
        "office_staff": ["*"],
        "military_liaison": ["view:*"],
        "unit_liaison": [
            "view_notification",
            "change_notification",
            "view_memberunit",
            "view_memberunitcontact",
        ],
        "inspector": [
            "view_notification",
            "change_notification",
            "view_region",
            "view_workstation",
            "view_contactpoint",
        ],
        "station_director": [
            "view_notification",
            "change_notification",
            "view_region",
            "view_workstation",
            "view_contactpoint",
        ],
        # The auditor opens the accounts the trail names, and nothing of the office's records.
        "auditor": [
            "view_auditevent",
            "view_auditarchive",
            "auth.view_user",
            "view_notification",
            "change_notification",
        ],
    }
    periodic_tasks = [
        ("notifications: send copies left pending", "mobilization.deliver_pending_notifications", {"minute": "*/10"}),
        ("audit: archive events past retention", "mobilization.archive_audit_events", {"minute": "20", "hour": "3"}),
    ]

    def ready(self):
        super().ready()
        from . import signals  # noqa: F401  (login audit receivers)
        from .audit import capture

        capture.connect()
