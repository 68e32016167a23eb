"""Errors are seen (issue 12): a request id on every answer and every log record, the traceback of
every unhandled exception logged, logs as JSON lines, and a count of answers by status class at
`/metrics` for staff or a scraper token."""

import json
import logging
import re

from django.test import override_settings
from django.urls import path

import mobilization.urls
from mobilization.requestlog import JsonFormatter, RequestIdFilter
from tests.base import WorldTestCase


def _fails(request):
    raise RuntimeError("a bug the office must hear about")


urlpatterns = [path("test-fails/", _fails), *mobilization.urls.urlpatterns]


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.records = []

    def emit(self, record):
        self.records.append(record)


def _counter(text, status_class):
    match = re.search(rf'mobilization_http_responses_total{{status_class="{status_class}"}} (\d+)', text)
    return int(match.group(1))


@override_settings(ROOT_URLCONF=__name__)
class RequestIdTest(WorldTestCase):
    def test_every_answer_carries_a_request_id_and_keeps_a_sane_one_given(self):
        generated = self.client.get("/healthz")
        self.assertRegex(generated["X-Request-ID"], r"^[0-9a-f]{32}$")
        kept = self.client.get("/healthz", HTTP_X_REQUEST_ID="lb-4711.a")
        self.assertEqual(kept["X-Request-ID"], "lb-4711.a")
        replaced = self.client.get("/healthz", HTTP_X_REQUEST_ID="no spaces\nor newlines")
        self.assertRegex(replaced["X-Request-ID"], r"^[0-9a-f]{32}$")
        refused = self.client.get("/api/v1/regions/?q=%00")
        self.assertEqual(refused.status_code, 400)
        self.assertRegex(refused["X-Request-ID"], r"^[0-9a-f]{32}$")

    def test_an_unhandled_exception_is_logged_with_its_traceback_and_request_id(self):
        capture = _Capture()
        logger = logging.getLogger("django.request")
        logger.addHandler(capture)
        self.addCleanup(logger.removeHandler, capture)
        self.client.raise_request_exception = False
        response = self.client.get("/test-fails/", HTTP_X_REQUEST_ID="trace-me-1")
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response["X-Request-ID"], "trace-me-1")
        [record] = [r for r in capture.records if r.levelno == logging.ERROR]
        self.assertEqual(record.request_id, "trace-me-1")
        line = json.loads(JsonFormatter().format(record))
        self.assertEqual(line["request_id"], "trace-me-1")
        self.assertEqual(line["level"], "ERROR")
        self.assertEqual(line["logger"], "django.request")
        self.assertIn("RuntimeError: a bug the office must hear about", line["exception"])
        self.assertIn("Traceback (most recent call last)", line["exception"])


# The counters live in the cache; in CI that is a Redis every test process shares, where the other
# process's answers would count too. This process's own cache keeps the counts exact.
@override_settings(
    ROOT_URLCONF=__name__,
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "metrics-test"}},
)
class MetricsTest(WorldTestCase):
    def test_server_errors_are_counted_for_a_superuser(self):
        self.client.force_login(self.world.superuser)
        before = self.client.get("/metrics")
        self.assertEqual(before.status_code, 200)
        self.assertTrue(before["Content-Type"].startswith("text/plain; version=0.0.4"))
        self.client.raise_request_exception = False
        self.assertEqual(self.client.get("/test-fails/").status_code, 500)
        self.assertEqual(self.client.get("/test-fails/").status_code, 500)
        after = self.client.get("/metrics").content.decode()
        self.assertEqual(_counter(after, "5xx"), _counter(before.content.decode(), "5xx") + 2)
        # The first /metrics answer (a 200) was counted before the second was written.
        self.assertEqual(_counter(after, "2xx"), _counter(before.content.decode(), "2xx") + 1)
        self.assertIn(f"mobilization_http_server_errors_total {_counter(after, '5xx')}\n", after)

    def test_metrics_are_not_for_everyone(self):
        self.assertIn(self.client.get("/metrics").status_code, {401, 403})
        self.login("office")  # office staff use the admin, but the system's health is not theirs
        self.assertEqual(self.client.get("/metrics").status_code, 403)

    @override_settings(METRICS_TOKEN="scrape-secret-123")
    def test_a_scraper_token_reads_them(self):
        self.assertEqual(self.client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code, 401)
        response = self.client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-123")
        self.assertEqual(response.status_code, 200)
        self.assertIn("# TYPE mobilization_http_server_errors_total counter", response.content.decode())
