from mobilization.api.routers import Router

from . import views

router = Router()
router.register("facilities", views.FacilityViewSet)
router.register("inspection-cycles", views.InspectionCycleViewSet)
router.register("inspection-reports", views.InspectionReportViewSet)
router.register("inspection-media", views.InspectionMediaViewSet)
router.register("rectifications", views.RectificationViewSet)
router.register("rectification-evidence", views.RectificationEvidenceViewSet)
router.register("team-evaluations", views.TeamEvaluationViewSet)
router.register("evaluation-follow-ups", views.EvaluationFollowUpViewSet)
router.register("follow-up-evidence", views.FollowUpEvidenceViewSet)
router.register("material-stocks", views.MaterialStockViewSet)
router.register("potential-verifications", views.PotentialVerificationViewSet)
router.register("potential-verification-lines", views.VerificationLineViewSet)

urlpatterns = [*router.urls]
