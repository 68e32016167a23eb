from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig
from mobilization.choices import RoleChoices

GRID_READ = [
    "view_facility",
    "view_inspectioncycle",
    "view_materialstock",
    "view_potentialverification",
    "view_verificationline",
]


class InspectionsConfig(ProjectAppConfig):
    name = "inspections"
    verbose_name = _("Inspections")
    # Inspectors file their own reports with photos and videos; directors review them (a
    # workflow permission, not a free edit) and run the rectification loop of their township.
    role_permissions = {
        RoleChoices.OFFICE_STAFF: ["*", "review_inspectionreport"],
        RoleChoices.MILITARY_LIAISON: ["view:*"],
        # The unit reports its evaluation follow-ups done, with evidence (a workflow step, not a free edit).
        RoleChoices.UNIT_LIAISON: [
            "view_teamevaluation",
            "view_evaluationfollowup",
            "report_evaluationfollowup",
            "view_followupevidence",
        ],
        RoleChoices.INSPECTOR: [
            *GRID_READ,
            "view_inspectionreport",
            "add_inspectionreport",
            "change_inspectionreport",
            "delete_inspectionreport",
            "view_inspectionmedia",
            "add_inspectionmedia",
            # Read-only on the orders their reports led to (the scope keeps them to their grid).
            "view_rectification",
            "view_rectificationevidence",
        ],
        RoleChoices.STATION_DIRECTOR: [
            *GRID_READ,
            "view_inspectionreport",
            "review_inspectionreport",
            "view_inspectionmedia",
            "view_rectification",
            "add_rectification",
            "change_rectification",
            "view_rectificationevidence",
            "add_rectificationevidence",
        ],
    }
    periodic_tasks = [
        (
            "inspections: overdue rectification sweep",
            "inspections.sweep_overdue_rectifications",
            {"minute": "10", "hour": "6"},
        ),
        (
            "inspections: inspection reminders and overdue sweep",
            "inspections.sweep_overdue_inspections",
            {"minute": "20", "hour": "6"},
        ),
        (
            "inspections: evaluation follow-up reminders and overdue sweep",
            "inspections.sweep_overdue_follow_ups",
            {"minute": "30", "hour": "6"},
        ),
        (
            "inspections: purge files left without a row",
            "inspections.purge_orphan_media",
            {"minute": "40", "hour": "3"},
        ),
    ]

    def ready(self):
        super().ready()
        from . import signals  # noqa: F401  (reports follow their facility's region)
