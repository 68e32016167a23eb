from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig


class TeamsConfig(ProjectAppConfig):
    name = "teams"
    verbose_name = _("Support teams")
    role_permissions = {
        "office_staff": ["*"],
        "military_liaison": ["view:*"],
    }
    periodic_tasks = []
