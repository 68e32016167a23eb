from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from .choices import RoleChoices


def project_app_configs():
    """This project's own apps (the core and every app built on it), in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, ProjectAppConfig)]


class ProjectAppConfig(AppConfig):
    """An app of this project. It declares what each role may do with its models and which
    beat schedules it needs; `post_migrate` turns both into groups and periodic tasks.

    role_permissions: RoleChoices member -> permission codenames of this app's models, where
        "view:*" means view on every model of the app, "*" every permission and "-codename"
        takes one back; `mobilization.roles` assembles them with the other apps'.
    periodic_tasks: (name, task path, crontab fields) created once; editable in the admin after.
    """

    default_auto_field = "django.db.models.BigAutoField"
    role_permissions: dict = {}
    periodic_tasks: list = []

    def ready(self):
        from django.db.models.signals import post_migrate

        from .services import ensure_periodic_tasks, sync_role_groups

        # post_migrate is sent once per app, and both handlers read every app's declarations:
        # they run once per migrate, when the last project app has been migrated.
        if self is project_app_configs()[-1]:
            post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="project-roles")
            post_migrate.connect(ensure_periodic_tasks, sender=self, dispatch_uid="project-beat")


class MobilizationConfig(ProjectAppConfig):
    name = "mobilization"
    verbose_name = _("Mobilization office")
    role_permissions = {
        # Accounts and roles are the security administrator's (三员分立): office staff read profiles.
        RoleChoices.OFFICE_STAFF: ["*", "-add_userprofile", "-change_userprofile", "-delete_userprofile"],
        RoleChoices.MILITARY_LIAISON: ["view:*"],
        RoleChoices.UNIT_LIAISON: [
            "view_notification",
            "change_notification",
            "view_memberunit",
            "view_memberunitcontact",
        ],
        RoleChoices.INSPECTOR: [
            "view_notification",
            "change_notification",
            "view_region",
            "view_workstation",
            "view_contactpoint",
        ],
        RoleChoices.STATION_DIRECTOR: [
            "view_notification",
            "change_notification",
            "view_region",
            "view_workstation",
            "view_contactpoint",
        ],
        RoleChoices.AUDITOR: ["view_auditevent", "view_auditarchive", "view_notification", "change_notification"],
        # Regions are the reference data of the core; the beat schedules are in roles.OTHER_APPS_PERMISSIONS.
        RoleChoices.SYSTEM_ADMIN: [
            "view_region",
            "add_region",
            "change_region",
            "delete_region",
            "view_notification",
            "change_notification",
        ],
        RoleChoices.SECURITY_ADMIN: [
            "view_region",  # to bind an account to its region
            "view_userprofile",
            "add_userprofile",
            "change_userprofile",
            "view_notification",
            "change_notification",
        ],
    }
    periodic_tasks = [
        ("notifications: send copies left pending", "mobilization.deliver_pending_notifications", {"minute": "*/10"}),
        ("audit: archive events past retention", "mobilization.archive_audit_events", {"minute": "20", "hour": "3"}),
        ("backups: nightly backup of the database and media", "mobilization.backup", {"minute": "0", "hour": "1"}),
    ]

    def ready(self):
        super().ready()
        from . import signals  # noqa: F401  (login audit receivers)
        from .accounts import receivers  # noqa: F401  (login flags, lockout, deactivation)
        from .api import schema  # noqa: F401  (the OpenAPI extension for brief relations)
        from .audit import capture
        from .package_strings import name_package_apps
        from .presentation import name_role_groups_by_role, name_users_in_chinese_order

        capture.connect()
        name_users_in_chinese_order()
        name_role_groups_by_role()
        name_package_apps()

        from django.utils.module_loading import autodiscover_modules

        from .workqueue import registry

        # Each app declares its work-queue items in its selectors module.
        autodiscover_modules("selectors", register_to=registry)
