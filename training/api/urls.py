from mobilization.api.routers import Router

from . import views

router = Router()
router.register("grade-thresholds", views.GradeThresholdsViewSet)
router.register("training-plans", views.TrainingPlanViewSet)
router.register("training-plan-items", views.PlanItemViewSet)
router.register("exercises", views.ExerciseViewSet)
router.register("attendances", views.AttendanceViewSet)
router.register("assessments", views.AssessmentViewSet)
router.register("competitions", views.CompetitionViewSet)
router.register("alarm-test-drills", views.AlarmTestDrillViewSet)

urlpatterns = [*router.urls]
