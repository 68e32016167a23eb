"""The dashboard's URL (mounted at /dashboard/ by the project URLconf)."""

from django.urls import path

from .views import dashboard, dashboard_refresh

app_name = "dashboard"

urlpatterns = [path("", dashboard, name="index"), path("refresh/", dashboard_refresh, name="refresh")]
