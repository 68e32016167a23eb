from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
            "view_memberunityearstatus",
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
        (
            "statistics: monthly snapshot",
            "mobilization.statistics_snapshot_monthly",
            {"minute": "30", "hour": "1", "day_of_month": "1"},
        ),
        (
            "statistics: quarterly snapshot",
            "mobilization.statistics_snapshot_quarterly",
            {"minute": "0", "hour": "2", "day_of_month": "1", "month_of_year": "1,4,7,10"},
        ),
        (
            "statistics: yearly snapshot",
            "mobilization.statistics_snapshot_yearly",
            {"minute": "30", "hour": "2", "day_of_month": "1", "month_of_year": "1"},
        ),
        ("statistics: report reminders", "mobilization.statistics_report_reminders", {"minute": "0", "hour": "8"}),
        ("notifications: send copies left pending", "mobilization.deliver_pending_notifications", {"minute": "*/10"}),
        ("audit: archive events past retention", "mobilization.archive_audit_events", {"minute": "20", "hour": "3"}),
    ]

    def ready(self):
        super().ready()
        from . import signals  # noqa: F401  (login audit receivers)
        from .audit import capture

        capture.connect()
