"""Filters of the command app's API lists: `<fk>_id`, choices and a `q` search, as every app's."""

from mobilization.filtersets import BaseFilterSet

from .models import (
    ActionPlan,
    CadreAttendance,
    CadreSession,
    CommandPosition,
    CommandPost,
    DutyShift,
    JointRecord,
    JointTask,
    JointTaskAssignment,
    JointTaskEvidence,
    LogEntry,
    MilitaryRequest,
    Official,
    PlanRequirement,
    PlanRevisionItem,
    RequestAttachment,
    RequestStage,
    SessionMaterial,
)

__all__ = [
    "ActionPlanFilterSet",
    "CadreAttendanceFilterSet",
    "CadreSessionFilterSet",
    "CommandPositionFilterSet",
    "CommandPostFilterSet",
    "DutyShiftFilterSet",
    "JointTaskFilterSet",
    "JointRecordFilterSet",
    "JointTaskAssignmentFilterSet",
    "JointTaskEvidenceFilterSet",
    "LogEntryFilterSet",
    "MilitaryRequestFilterSet",
    "OfficialFilterSet",
    "PlanRequirementFilterSet",
    "PlanRevisionItemFilterSet",
    "RequestAttachmentFilterSet",
    "RequestStageFilterSet",
    "SessionMaterialFilterSet",
]


class MilitaryRequestFilterSet(BaseFilterSet):
    search_fields = ("title", "description")

    class Meta:
        model = MilitaryRequest
        fields = ["stage"]


class RequestStageFilterSet(BaseFilterSet):
    search_fields = ("notes",)

    class Meta:
        model = RequestStage
        fields = ["request", "stage", "owner"]


class RequestAttachmentFilterSet(BaseFilterSet):
    class Meta:
        model = RequestAttachment
        fields = ["stage", "kind"]


class OfficialFilterSet(BaseFilterSet):
    search_fields = ("name", "post_title", "organisation")

    class Meta:
        model = Official
        fields = []


class CommandPostFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = CommandPost
        fields = ["activation", "exercise"]


class CommandPositionFilterSet(BaseFilterSet):
    search_fields = ("official__name",)

    class Meta:
        model = CommandPosition
        fields = ["post", "position", "official"]


class DutyShiftFilterSet(BaseFilterSet):
    class Meta:
        model = DutyShift
        fields = ["post", "official"]


class LogEntryFilterSet(BaseFilterSet):
    search_fields = ("text",)

    class Meta:
        model = LogEntry
        fields = ["post", "kind", "author", "corrects"]


class ActionPlanFilterSet(BaseFilterSet):
    search_fields = ("title",)

    class Meta:
        model = ActionPlan
        fields = ["scenario", "status", "version"]


class PlanRequirementFilterSet(BaseFilterSet):
    search_fields = ("note",)

    class Meta:
        model = PlanRequirement
        fields = ["plan", "team_type", "team", "stock", "facility"]


class PlanRevisionItemFilterSet(BaseFilterSet):
    search_fields = ("finding", "owner")

    class Meta:
        model = PlanRevisionItem
        fields = ["plan", "exercise", "done"]


class JointTaskFilterSet(BaseFilterSet):
    search_fields = ("title", "description")

    class Meta:
        model = JointTask
        fields = ["status"]


class JointTaskAssignmentFilterSet(BaseFilterSet):
    search_fields = ("report",)

    class Meta:
        model = JointTaskAssignment
        fields = ["task", "district", "status"]


class JointTaskEvidenceFilterSet(BaseFilterSet):
    class Meta:
        model = JointTaskEvidence
        fields = ["assignment", "kind"]


class CadreSessionFilterSet(BaseFilterSet):
    search_fields = ("title",)

    class Meta:
        model = CadreSession
        fields = ["kind", "exercise", "plan"]


class CadreAttendanceFilterSet(BaseFilterSet):
    search_fields = ("official__name",)

    class Meta:
        model = CadreAttendance
        fields = ["session", "official", "present"]


class SessionMaterialFilterSet(BaseFilterSet):
    search_fields = ("title",)

    class Meta:
        model = SessionMaterial
        fields = ["session", "kind"]


class JointRecordFilterSet(BaseFilterSet):
    search_fields = ("subject", "findings")

    class Meta:
        model = JointRecord
        fields = ["kind", "task"]
