"""Every rule of the command app that changes state; the admin, the API, the portal and the
Celery tasks all call these."""

from .cadres import cadre_attendance_record, session_add_materials
from .joint import (
    assignment_claim,
    assignment_report,
    joint_record_sign,
    joint_task_create,
    joint_task_sign,
    joint_task_split,
)
from .plans import plan_approve, plan_revision_from_exercise
from .post import command_log_append, command_log_export, command_log_verify
from .requests import (
    military_request_advance,
    military_request_raise,
    military_requests_sweep_overdue,
    request_stage_update,
)

__all__ = [
    "assignment_claim",
    "assignment_report",
    "cadre_attendance_record",
    "command_log_append",
    "command_log_export",
    "command_log_verify",
    "joint_record_sign",
    "joint_task_create",
    "joint_task_sign",
    "joint_task_split",
    "military_request_advance",
    "military_request_raise",
    "military_requests_sweep_overdue",
    "plan_approve",
    "plan_revision_from_exercise",
    "request_stage_update",
    "session_add_materials",
]
