"""Portal pages of the command app, mounted under /portal/ in the "portal" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("command/requests/", views.request_list, name="command-requests"),
    path("command/requests/new/", views.request_new, name="command-request-new"),
    path("command/requests/<int:pk>/", views.request_detail, name="command-request"),
    path("command/tasks/", views.task_list, name="command-tasks"),
    path("command/tasks/new/", views.task_new, name="command-task-new"),
    path("command/tasks/<int:pk>/", views.task_detail, name="command-task"),
    path("command/tasks/<int:pk>/sign/", views.task_sign, name="command-task-sign"),
    path(
        "command/assignments/<int:pk>/<str:step>/",
        views.assignment_step,
        name="command-assignment-step",
    ),
    path("command/attachments/<int:pk>/", views.attachment_file, name="command-attachment"),
    path("command/evidence/<int:pk>/", views.evidence_file, name="command-evidence"),
    path("command/materials/<int:pk>/", views.material_file, name="command-material"),
]
