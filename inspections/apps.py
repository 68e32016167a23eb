from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig


class InspectionsConfig(ProjectAppConfig):
    name = "inspections"
    verbose_name = _("Inspections")
    role_permissions = {
        "office_staff": ["*"],
        "military_liaison": ["view:*"],
    }
    periodic_tasks = []
