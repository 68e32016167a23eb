from mobilization.api.routers import Router

from . import views

router = Router()
router.register("qualification-kinds", views.QualificationKindViewSet)
router.register("persons", views.PersonViewSet)
router.register("memberships", views.MembershipViewSet)
router.register("qualifications", views.QualificationViewSet)
router.register("roster-changes", views.RosterChangeViewSet)
router.register("roster-change-items", views.RosterChangeItemViewSet)

urlpatterns = [*router.urls]
