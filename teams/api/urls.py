from mobilization.api.routers import Router

from . import views

router = Router()
router.register("team-categories", views.TeamCategoryViewSet)
router.register("team-types", views.TeamTypeViewSet)
router.register("equipment-items", views.EquipmentItemViewSet)
router.register("team-type-qualifications", views.TypeQualificationRequirementViewSet)
router.register("team-type-equipment", views.TypeEquipmentRequirementViewSet)
router.register("teams", views.TeamViewSet)
router.register("equipment", views.EquipmentViewSet)
router.register("standby-duties", views.StandbyDutyViewSet)
router.register("activations", views.ActivationViewSet)
router.register("activation-teams", views.ActivationTeamViewSet)
router.register("person-calls", views.PersonCallViewSet)

urlpatterns = [*router.urls]
