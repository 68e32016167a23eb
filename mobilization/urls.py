from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

import command.api.urls
import command.urls
import inspections.api.urls
import inspections.urls
import members.api.urls
import members.urls
import reporting.api.urls
import teams.api.urls
import teams.respond
import teams.urls
import training.api.urls
import training.urls

from . import portal_urls
from .api import urls as core_api_urls
from .metrics import MetricsView
from .sms_views import sms_receipt_view
from .views import healthz

api_patterns = [
    *core_api_urls.urlpatterns,
    *teams.api.urls.urlpatterns,
    *members.api.urls.urlpatterns,
    *training.api.urls.urlpatterns,
    *inspections.api.urls.urlpatterns,
    *reporting.api.urls.urlpatterns,
    *command.api.urls.urlpatterns,
]
portal_patterns = [
    *portal_urls.urlpatterns,
    *teams.urls.urlpatterns,
    *members.urls.urlpatterns,
    *training.urls.urlpatterns,
    *inspections.urls.urlpatterns,
    *command.urls.urlpatterns,
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    path("metrics", MetricsView.as_view(), name="metrics"),
    path("sms/receipts/", sms_receipt_view, name="sms-receipt"),
    path("r/<str:token>/", teams.respond.respond, name="callout-respond"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal/", include((portal_patterns, "portal"))),
    path("dashboard/", include("reporting.urls", namespace="dashboard")),
]
