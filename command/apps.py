from django.utils.translation import gettext_lazy as _

from mobilization.apps import ProjectAppConfig
from mobilization.choices import RoleChoices


class CommandConfig(ProjectAppConfig):
    name = "command"
    verbose_name = _("Command and joint office")
    # The command log is append-only for everyone: no role changes or deletes an entry.
    role_permissions = {
        RoleChoices.OFFICE_STAFF: [
            "*",
            "advance_militaryrequest",
            "approve_actionplan",
            "sign_jointtask",
            "sign_jointrecord",
            "-change_logentry",
            "-delete_logentry",
        ],
        # The People's Armed Forces Department's side of the joint office: it reads everything of
        # its region and writes military requests and joint-office tasks, nothing else.
        RoleChoices.MILITARY_LIAISON: [
            "view:*",
            "add_militaryrequest",
            "change_militaryrequest",
            "add_requestattachment",
            "add_jointtask",
            "change_jointtask",
            "change_jointtaskassignment",
            "add_jointtaskevidence",
            "sign_jointtask",
            "add_jointrecord",
            "change_jointrecord",
            "sign_jointrecord",
        ],
    }
    periodic_tasks = [
        (
            "command: overdue military request stages",
            "command.sweep_overdue_military_requests",
            {"minute": "15", "hour": "6"},
        ),
    ]
