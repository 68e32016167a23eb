"""Portal pages of this app, mounted under /portal/ in the "portal" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("training/", views.exercises, name="training-exercises"),
    path("training/exercises/<int:pk>/attendance/", views.attendance, name="training-attendance"),
    path("training/rates/", views.rates, name="training-rates"),
    path("training/drills/<int:pk>/", views.drill, name="training-drill"),
    path("training/competitions/<int:pk>/", views.competition, name="training-competition"),
]
