from django.urls import path

from . import views
from .routers import Router

router = Router()
router.register("regions", views.RegionViewSet)
router.register("member-units", views.MemberUnitViewSet)
router.register("member-unit-contacts", views.MemberUnitContactViewSet)
router.register("offices", views.OfficeViewSet)
router.register("workstations", views.WorkstationViewSet)
router.register("contact-points", views.ContactPointViewSet)
router.register("users", views.UserProfileViewSet)
router.register("notifications", views.NotificationViewSet)
router.register("audit-events", views.AuditEventViewSet)

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("changes/", views.ChangeLogView.as_view(), name="changes"),
    *router.urls,
]
