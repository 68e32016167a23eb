"""Portal pages of this app, mounted under /portal/ in the "portal" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("teams/readiness/", views.readiness, name="teams-readiness"),
    path("teams/<int:pk>/", views.team_detail, name="teams-detail"),
    path("teams/activations/<int:pk>/", views.activation_detail, name="teams-activation"),
    path("teams/activations/<int:pk>/board/", views.activation_board_page, name="teams-activation-board"),
    path("teams/activations/<int:pk>/acknowledge/", views.activation_acknowledge, name="teams-activation-acknowledge"),
]
