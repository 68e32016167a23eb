"""The command app's models: military requests, the command post and its log, action plans,
joint-office tasks and training for command cadres."""

from .cadres import CadreAttendance, CadreSession, Official, SessionMaterial
from .joint import JointRecord, JointTask, JointTaskAssignment, JointTaskEvidence
from .plans import ActionPlan, PlanRequirement, PlanRevisionItem
from .post import CommandPosition, CommandPost, DutyShift, LogEntry
from .requests import MilitaryRequest, RequestAttachment, RequestStage

__all__ = [
    "ActionPlan",
    "CadreAttendance",
    "CadreSession",
    "CommandPosition",
    "CommandPost",
    "DutyShift",
    "JointRecord",
    "JointTask",
    "JointTaskAssignment",
    "JointTaskEvidence",
    "LogEntry",
    "MilitaryRequest",
    "Official",
    "PlanRequirement",
    "PlanRevisionItem",
    "RequestAttachment",
    "RequestStage",
    "SessionMaterial",
]
