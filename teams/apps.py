from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig

REFERENCE = ["view_teamcategory", "view_teamtype"]
TAXONOMY = [*REFERENCE, "view_equipmentitem", "view_typequalificationrequirement", "view_typeequipmentrequirement"]


class TeamsConfig(ProjectAppConfig):
    name = "teams"
    verbose_name = _("Support teams")
    # Liaisons do not edit teams or equipment (roster changes go through members' change
    # requests), but they keep the standby duty rota of their own teams, and answer call-outs.
    role_permissions = {
        "office_staff": ["*", "acknowledge_activationteam"],
        "military_liaison": ["view:*"],
        "unit_liaison": [
            *TAXONOMY,
            "view_team",
            "view_equipment",
            "view_standbyduty",
            "add_standbyduty",
            "change_standbyduty",
            "delete_standbyduty",
            "view_activation",
            "view_activationteam",
            "acknowledge_activationteam",
            "view_personcall",
            "view_personcallanswer",
        ],
        "station_director": REFERENCE,
        "inspector": REFERENCE,
    }
    periodic_tasks = [("call-out: escalate the silent", "teams.callout_escalate", {"minute": "*"})]

    def ready(self):
        super().ready()
        from . import sections  # noqa: F401  (registers the communication test's section)
