from mobilization.api.routers import Router

from . import views

router = Router()
router.register("reports", views.StatisticsReportViewSet)
router.register("snapshots", views.StatisticsSnapshotViewSet)
router.register("unit-year-statuses", views.MemberUnitYearStatusViewSet)

urlpatterns = router.urls
