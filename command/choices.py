from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AssignmentStatusChoices",
    "CadreSessionKindChoices",
    "CommandPositionChoices",
    "JointRecordKindChoices",
    "JointTaskStatusChoices",
    "LogEntryKindChoices",
    "PlanStatusChoices",
    "RequestStageChoices",
    "ScenarioChoices",
]


class RequestStageChoices(models.TextChoices):
    """The stages of a military request, in order (军事需求对接)."""

    INTAKE = "intake", _("Intake")
    TASK_MEETING = "task_meeting", _("Task meeting")
    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")
    SITE_SURVEY = "site_survey", _("Site survey")
    HANDOVER = "handover", _("Handover")
    CLOSED = "closed", _("Closed")


class CommandPositionChoices(models.TextChoices):
    COMMANDER = "commander", _("Commander")
    DEPUTY = "deputy", _("Deputy commander")
    OPERATIONS = "operations", _("Operations group")
    POTENTIAL = "potential", _("Potential group")
    SUPPORT = "support", _("Support group")
    PUBLICITY = "publicity", _("Publicity group")


class LogEntryKindChoices(models.TextChoices):
    DECISION = "decision", _("Decision")
    ORDER = "order", _("Order")
    REPORT = "report", _("Report")
    REQUEST = "request", _("Request")
    NOTE = "note", _("Note")


class ScenarioChoices(models.TextChoices):
    AIR_RAID = "air_raid", _("Air raid")
    FLOOD = "flood", _("Flood")
    EARTHQUAKE = "earthquake", _("Earthquake")
    PUBLIC_HEALTH = "public_health", _("Public-health emergency")
    NETWORK_ATTACK = "network_attack", _("Network attack")
    OTHER = "other", _("Other")


class PlanStatusChoices(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class JointTaskStatusChoices(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AssignmentStatusChoices(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    CLAIMED = "claimed", _("Claimed")
    REPORTED = "reported", _("Reported")


class CadreSessionKindChoices(models.TextChoices):
    EXERCISE = "exercise", _("Command exercise")
    LECTURE = "lecture", _("Lecture")


class JointRecordKindChoices(models.TextChoices):
    VERIFICATION = "verification", _("Verification")
    SUPERVISION = "supervision", _("Supervision")
