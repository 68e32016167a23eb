from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig
from mobilization.choices import RoleChoices

ROSTER_READ = ["view_person", "view_membership", "view_qualification", "view_qualificationkind"]
CHANGES_READ = ["view_rosterchange", "view_rosterchangeitem"]


class MembersConfig(ProjectAppConfig):
    name = "members"
    verbose_name = _("Personnel")
    # Liaisons read their roster and propose changes; only office staff write the roster itself,
    # decide change requests and reveal full ID numbers.
    role_permissions = {
        RoleChoices.OFFICE_STAFF: ["*", "reveal_id_number", "decide_rosterchange", "set_availability_person"],
        RoleChoices.MILITARY_LIAISON: ["view:*"],
        # Availability is not the roster: the liaison who knows who is ill or away sets it directly.
        RoleChoices.UNIT_LIAISON: [
            *ROSTER_READ,
            *CHANGES_READ,
            "add_rosterchange",
            "change_rosterchange",
            "set_availability_person",
        ],
        # Qualification kinds are reference data; persons and their qualifications are not.
        RoleChoices.SYSTEM_ADMIN: [
            "view_qualificationkind",
            "add_qualificationkind",
            "change_qualificationkind",
            "delete_qualificationkind",
        ],
    }
    periodic_tasks = [
        (
            "members: qualification expiry warnings",
            "members.warn_expiring_qualifications",
            {"minute": "0", "hour": "7"},
        ),
        (
            "members: purge roster uploads whose import job expired unread",
            "members.purge_roster_imports",
            {"minute": "50", "hour": "3"},
        ),
    ]

    def ready(self):
        super().ready()
        from . import signals  # noqa: F401  (the kept regions of persons: PersonRegion)
