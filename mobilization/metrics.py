"""Counts of answers by status class, kept in the cache (Redis in production, so every gunicorn
worker adds to the same counters), and shown at `/metrics` in Prometheus' text format."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.crypto import constant_time_compare
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .roles import may_read_metrics

__all__ = ["MetricsView", "count_response", "counters"]

logger = logging.getLogger(__name__)

STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx")
_KEY = "metrics:http_responses:{}"


def count_response(status_code):
    """Add one answer to its status class. A cache outage costs the count, never the request."""
    key = _KEY.format(f"{status_code // 100}xx")
    try:
        try:
            cache.incr(key)
        except ValueError:  # the first of its class since the cache was emptied
            if not cache.add(key, 1, timeout=None):
                cache.incr(key)
    except Exception:  # noqa: BLE001 - the answer goes out whatever happens to its count
        logger.debug("metrics: the cache did not take a count", exc_info=True)


def counters():
    try:
        values = cache.get_many([_KEY.format(c) for c in STATUS_CLASSES])
    except Exception:  # noqa: BLE001 - metrics report what they can
        logger.warning("metrics: the cache did not answer", exc_info=True)
        values = {}
    return {c: int(values.get(_KEY.format(c), 0)) for c in STATUS_CLASSES}


def render(values):
    lines = [
        "# HELP mobilization_http_responses_total HTTP answers, by status class.",
        "# TYPE mobilization_http_responses_total counter",
        *(f'mobilization_http_responses_total{{status_class="{c}"}} {values[c]}' for c in STATUS_CLASSES),
        "# HELP mobilization_http_server_errors_total HTTP answers with a 5xx status.",
        "# TYPE mobilization_http_server_errors_total counter",
        f"mobilization_http_server_errors_total {values['5xx']}",
    ]
    return "\n".join(lines) + "\n"


class IsStaffOrMetricsToken(BasePermission):
    """The system administrator or a superuser (session or API token), or a scraper sending
    `Authorization: Bearer <METRICS_TOKEN>`. Office staff use the admin too (`is_staff`), but the
    system's health is not theirs to watch."""

    def has_permission(self, request, view):
        token = getattr(settings, "METRICS_TOKEN", "")
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if token and header.startswith("Bearer ") and constant_time_compare(header[7:], token):
            return True
        return may_read_metrics(request.user)


class MetricsView(APIView):
    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    permission_classes = [IsStaffOrMetricsToken]
    schema = None  # for the monitoring system, not the API's clients

    def get(self, request):
        return HttpResponse(render(counters()), content_type="text/plain; version=0.0.4; charset=utf-8")
