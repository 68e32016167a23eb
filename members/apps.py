from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig

ROSTER_READ = ["view_person", "view_membership", "view_qualification", "view_qualificationkind"]
CHANGES_READ = ["view_rosterchange", "view_rosterchangeitem"]


class MembersConfig(ProjectAppConfig):
    name = "members"
    verbose_name = _("Personnel")
    # Liaisons read their roster and propose changes; only office staff write the roster itself,
    # decide change requests and reveal full ID numbers.
    role_permissions = {
        "office_staff": ["*", "reveal_id_number", "decide_rosterchange", "set_availability_person"],
        "military_liaison": ["view:*"],
        # Availability is not the roster: the liaison who knows who is ill or away sets it directly.
        "unit_liaison": [
            *ROSTER_READ,
            *CHANGES_READ,
            "add_rosterchange",
            "change_rosterchange",
            "set_availability_person",
        ],
    }
    periodic_tasks = [
        (
            "members: qualification expiry warnings",
            "members.warn_expiring_qualifications",
            {"minute": "0", "hour": "7"},
        ),
    ]
