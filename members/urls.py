"""Portal pages of this app, mounted under /portal/ in the "portal" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("members/", views.roster, name="members-roster"),
    path("members/export.xlsx", views.export, name="members-export"),
    path("members/template.xlsx", views.template, name="members-template"),
    path("members/changes/", views.changes, name="members-changes"),
    path("members/changes/new/", views.propose, name="members-propose"),
    path("members/<int:person_pk>/availability/", views.availability, name="members-availability"),
    path("members/<int:person_pk>/propose/", views.propose, name="members-propose-for"),
    path("members/changes/upload/", views.upload, name="members-upload"),
    path("members/changes/imports/<str:job_id>/", views.import_job, name="members-import"),
    path("members/changes/<int:pk>/", views.change_detail, name="members-change"),
    path("members/changes/<int:pk>/withdraw/", views.change_withdraw, name="members-change-withdraw"),
]
