from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig


class TrainingConfig(ProjectAppConfig):
    name = "training"
    verbose_name = _("Training and assessment")
    role_permissions = {
        "office_staff": ["*"],
        "military_liaison": ["view:*"],
    }
    periodic_tasks = []
