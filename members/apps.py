from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig


class MembersConfig(ProjectAppConfig):
    name = "members"
    verbose_name = _("Personnel")
    role_permissions = {
        "office_staff": ["*"],
        "military_liaison": ["view:*"],
    }
    periodic_tasks = []
