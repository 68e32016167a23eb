from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .accounts import urls as account_urls

urlpatterns = [
    path("", views.portal_home, name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.portal_notifications, name="notifications"),
    path("notifications/read/", views.portal_notifications_read, name="notifications-read"),
    path("jobs/<str:job_id>/", views.job_status, name="job-status"),
    *account_urls.urlpatterns,
]
