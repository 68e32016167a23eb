from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig


class ReportingConfig(ProjectAppConfig):
    """Situation statistics. Installed after the apps whose sections it collects: `ready()`
    imports each app's `sections` module, as the admin imports each app's `admin`."""

    name = "reporting"
    verbose_name = _("Situation statistics")
    role_permissions = {
        "office_staff": ["*"],
        "military_liaison": ["view:*"],
        "unit_liaison": ["view_memberunityearstatus"],
    }
    periodic_tasks = [
        (
            "statistics: monthly snapshot",
            "reporting.statistics_snapshot_monthly",
            {"minute": "30", "hour": "1", "day_of_month": "1"},
        ),
        (
            "statistics: quarterly snapshot",
            "reporting.statistics_snapshot_quarterly",
            {"minute": "0", "hour": "2", "day_of_month": "1", "month_of_year": "1,4,7,10"},
        ),
        (
            "statistics: yearly snapshot",
            "reporting.statistics_snapshot_yearly",
            {"minute": "30", "hour": "2", "day_of_month": "1", "month_of_year": "1"},
        ),
        ("statistics: report reminders", "reporting.statistics_report_reminders", {"minute": "0", "hour": "8"}),
    ]

    def ready(self):
        super().ready()
        from django.utils.module_loading import autodiscover_modules

        from .sections import registry

        autodiscover_modules("sections", register_to=registry)
