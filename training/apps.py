from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig
from mobilization.choices import RoleChoices

# What member-unit liaisons see of training: the exercises, drills and results of their own teams.
LIAISON_VIEW = [
    "view_gradethresholds",
    "view_exercise",
    "view_attendance",
    "view_assessment",
    "view_competition",
    "view_alarmtestdrill",
]


class TrainingConfig(ProjectAppConfig):
    name = "training"
    verbose_name = _("Training and assessment")
    # Liaisons record the attendance of their own teams' members (in bulk), but change nothing else.
    role_permissions = {
        RoleChoices.OFFICE_STAFF: ["*", "approve_trainingplan", "record_attendance"],
        RoleChoices.MILITARY_LIAISON: ["view:*"],
        RoleChoices.UNIT_LIAISON: [*LIAISON_VIEW, "record_attendance"],
    }
    periodic_tasks = [
        ("training: 9.18 drill reminders", "training.send_drill_reminders", {"minute": "0", "hour": "8"}),
    ]

    def ready(self):
        super().ready()
        from . import signals  # noqa: F401  (the kept regions of exercises: ExerciseRegion)
