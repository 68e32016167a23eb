from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig
from mobilization.choices import RoleChoices

REFERENCE = ["view_teamcategory", "view_teamtype"]
TAXONOMY_MODELS = [
    "teamcategory",
    "teamtype",
    "equipmentitem",
    "typequalificationrequirement",
    "typeequipmentrequirement",
]
ACTIONS = ["view", "add", "change", "delete"]
TAXONOMY = [f"view_{model}" for model in TAXONOMY_MODELS]


class TeamsConfig(ProjectAppConfig):
    name = "teams"
    verbose_name = _("Support teams")
    # Liaisons do not edit teams or equipment (roster changes go through members' change
    # requests), but they keep the standby duty rota of their own teams, and answer call-outs.
    role_permissions = {
        RoleChoices.OFFICE_STAFF: ["*", "acknowledge_activationteam"],
        RoleChoices.MILITARY_LIAISON: ["view:*"],
        RoleChoices.UNIT_LIAISON: [
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
        RoleChoices.STATION_DIRECTOR: REFERENCE,
        RoleChoices.INSPECTOR: REFERENCE,
        # The taxonomy is reference data, kept by the system administrator; teams are not.
        RoleChoices.SYSTEM_ADMIN: [f"{action}_{model}" for model in TAXONOMY_MODELS for action in ACTIONS],
    }
    periodic_tasks = [("call-out: escalate the silent", "teams.callout_escalate", {"minute": "*"})]
