from mobilization.api.routers import Router

from . import views

router = Router()
router.register("military-requests", views.MilitaryRequestViewSet)
router.register("military-request-stages", views.RequestStageViewSet)
router.register("military-request-attachments", views.RequestAttachmentViewSet)
router.register("officials", views.OfficialViewSet)
router.register("command-posts", views.CommandPostViewSet)
router.register("command-positions", views.CommandPositionViewSet)
router.register("duty-shifts", views.DutyShiftViewSet)
router.register("command-log-entries", views.LogEntryViewSet)
router.register("action-plans", views.ActionPlanViewSet)
router.register("plan-requirements", views.PlanRequirementViewSet)
router.register("plan-revision-items", views.PlanRevisionItemViewSet)
router.register("joint-tasks", views.JointTaskViewSet)
router.register("joint-task-assignments", views.JointTaskAssignmentViewSet)
router.register("joint-task-evidence", views.JointTaskEvidenceViewSet)
router.register("joint-office-records", views.JointRecordViewSet)
router.register("cadre-sessions", views.CadreSessionViewSet)
router.register("cadre-attendance", views.CadreAttendanceViewSet)
router.register("session-materials", views.SessionMaterialViewSet)

urlpatterns = [*router.urls]
