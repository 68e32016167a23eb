"""Portal pages of this app, mounted under /portal/ in the "portal" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("inspections/", views.home, name="inspections-home"),
    path("inspections/potential/", views.potential_accuracy, name="inspections-potential"),
    path("inspections/schedule/", views.schedule, name="inspections-schedule"),
    path("inspections/map/", views.facility_map, name="inspections-map"),
    path("inspections/map/data/", views.facility_map_data, name="inspections-map-data"),
    path("inspections/new/", views.facility_pick, name="inspections-facilities"),
    path("inspections/new/<int:facility_pk>/", views.report_new, name="inspections-report-new"),
    path("inspections/reports/<int:pk>/", views.report_detail, name="inspections-report"),
    path("inspections/reports/<int:pk>/edit/", views.report_edit, name="inspections-report-edit"),
    path("inspections/reports/<int:pk>/review/", views.report_review, name="inspections-report-review"),
    path("inspections/reports/<int:pk>/rectify/", views.report_rectify, name="inspections-report-rectify"),
    path("inspections/rectifications/<int:pk>/", views.rectification_detail, name="inspections-rectification"),
    path(
        "inspections/rectifications/<int:pk>/<str:step>/",
        views.rectification_step,
        name="inspections-rectification-step",
    ),
    path("inspections/follow-ups/", views.follow_ups, name="inspections-follow-ups"),
    path("inspections/follow-ups/<int:pk>/done/", views.follow_up_done, name="inspections-follow-up-done"),
    path("inspections/media/<int:pk>/", views.media_file, name="inspections-media"),
    path(
        "inspections/follow-up-evidence/<int:pk>/",
        views.follow_up_evidence_file,
        name="inspections-follow-up-evidence",
    ),
    path("inspections/evidence/<int:pk>/", views.evidence_file, name="inspections-evidence"),
]
