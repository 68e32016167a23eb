"""Text messages: the file backend's lines, statuses and retries, and the HTTP gateway against a
real HTTP server on 127.0.0.1 with its signed requests and signed delivery receipts."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from mobilization.choices import SMSStatusChoices as S
from mobilization.models import SMSMessage
from mobilization.services import sms_queue, sms_send_batch, sms_send_due
from mobilization.sms import HTTPGatewaySMSBackend, gateway_signature

SECRET = "gateway-shared-secret"


class FileBackendTest(TestCase):
    def test_each_message_is_one_json_line_and_counts_as_delivered(self):
        with self.settings_file() as path:
            sms_queue(messages=[("k:1", "13800000001", "第一条"), ("k:2", "13800000002", "第二条")], batch="b1")
            sms_queue(messages=[("k:1", "13800000001", "第一条")], batch="b1")  # the same key again: nothing new
            self.assertEqual(sms_send_batch(batch="b1"), {"sent": 2, "retry_in": None})
            lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        self.assertEqual([(x["to"], x["text"]) for x in lines], [("13800000001", "第一条"), ("13800000002", "第二条")])
        self.assertTrue(all(datetime.datetime.fromisoformat(x["sent_at"]) for x in lines))
        self.assertEqual(
            sorted(SMSMessage.objects.values_list("key", "status", "attempts")),
            [("k:1", S.DELIVERED, 1), ("k:2", S.DELIVERED, 1)],
        )

    def test_a_failure_is_retried_later_then_given_up(self):
        with override_settings(
            SMS_BACKEND="mobilization.sms.FileSMSBackend",
            SMS_FILE_PATH="/nonexistent-dir/sms.jsonl",
            SMS_MAX_ATTEMPTS=2,
            SMS_RETRY_SECONDS=30,
        ):
            sms_queue(messages=[("k:x", "13800000003", "失败")], batch="b2", send=False)
            now = timezone.now()
            self.assertEqual(sms_send_batch(batch="b2", now=now), {"sent": 1, "retry_in": 30})
            message = SMSMessage.objects.get(key="k:x")
            self.assertEqual((message.status, message.attempts), (S.QUEUED, 1))
            self.assertEqual(message.next_attempt_at, now + datetime.timedelta(seconds=30))
            self.assertIn("cannot write", message.error)
            # Not due yet: nothing is tried.
            self.assertEqual(sms_send_due(now=now + datetime.timedelta(seconds=29)), {})
            self.assertEqual(sms_send_due(now=now + datetime.timedelta(seconds=30)), {"b2": 1})
            message.refresh_from_db()
            self.assertEqual((message.status, message.attempts, message.next_attempt_at), (S.FAILED, 2, None))

    def settings_file(self):
        import contextlib
        import tempfile
        from pathlib import Path

        @contextlib.contextmanager
        def ctx():
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "sms.jsonl"
                with override_settings(SMS_BACKEND="mobilization.sms.FileSMSBackend", SMS_FILE_PATH=str(path)):
                    yield path

        return ctx()


class _Gateway(BaseHTTPRequestHandler):
    """The office's SMS platform, as small as it gets: checks the signature, answers an id, and
    refuses (503) the first request to a number that starts with 139 to exercise the retry."""

    received: list = []
    refused: set = set()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode())
        signature = gateway_signature(SECRET, body["account"], body["to"], body["text"], self.headers["X-Timestamp"])
        if signature != self.headers["X-Signature"]:
            self.send_response(401)
            self.end_headers()
            return
        if body["to"].startswith("139") and body["to"] not in self.refused:
            self.refused.add(body["to"])
            self.send_response(503)
            self.end_headers()
            return
        if body["to"].startswith("137"):
            self.send_response(400)  # a number the carrier rejects: no retry
            self.end_headers()
            return
        self.received.append(body)
        answer = json.dumps({"id": f"gw-{len(self.received)}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class HTTPGatewayTest(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = HTTPServer(("127.0.0.1", 0), _Gateway)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    def setUp(self):
        _Gateway.received, _Gateway.refused = [], set()
        self.enterContext(
            override_settings(
                SMS_BACKEND="mobilization.sms.HTTPGatewaySMSBackend",
                SMS_GATEWAY_URL=f"http://127.0.0.1:{self.server.server_port}/send",
                SMS_GATEWAY_ACCOUNT="office-3703",
                SMS_GATEWAY_SECRET=SECRET,
                SMS_GATEWAY_RATE=100,
                SMS_RECEIPT_URL="https://mob.example.org/sms/receipts/",
                SMS_RETRY_SECONDS=30,
            )
        )

    def receipt(self, provider_id, status, *, secret=SECRET, timestamp=None):
        timestamp = str(int(time.time())) if timestamp is None else timestamp
        return self.client.post(
            reverse("sms-receipt"),
            json.dumps({"id": provider_id, "status": status}),
            content_type="application/json",
            headers={
                "X-Timestamp": timestamp,
                "X-Signature": gateway_signature(secret, provider_id, status, timestamp),
            },
        )

    def test_sent_signed_then_delivered_by_a_signed_receipt(self):
        sms_queue(messages=[("g:1", "13800000001", "集结通知")], batch="g", send=False)
        self.assertEqual(sms_send_batch(batch="g")["sent"], 1)
        self.assertEqual(
            _Gateway.received,
            [
                {
                    "account": "office-3703",
                    "to": "13800000001",
                    "text": "集结通知",
                    "callback": "https://mob.example.org/sms/receipts/",
                    "out_id": "g:1",  # the message's key: the gateway's de-duplication key
                }
            ],
        )
        message = SMSMessage.objects.get(key="g:1")
        self.assertEqual((message.status, message.provider_id), (S.SENT, "gw-1"))
        self.assertEqual(self.receipt("gw-1", "delivered").status_code, 204)
        message.refresh_from_db()
        self.assertEqual(message.status, S.DELIVERED)
        self.assertIsNotNone(message.delivered_at)
        # A late "failed" does not undo a delivery.
        self.assertEqual(self.receipt("gw-1", "failed").status_code, 204)
        message.refresh_from_db()
        self.assertEqual(message.status, S.DELIVERED)

    def test_a_failed_receipt_marks_the_message_failed(self):
        sms_queue(messages=[("g:2", "13800000002", "x")], batch="g", send=False)
        sms_send_batch(batch="g")
        self.assertEqual(self.receipt("gw-1", "failed").status_code, 204)
        self.assertEqual(SMSMessage.objects.get(key="g:2").status, S.FAILED)

    def test_receipts_that_are_forged_stale_unknown_or_malformed_are_refused(self):
        sms_queue(messages=[("g:3", "13800000003", "x")], batch="g", send=False)
        sms_send_batch(batch="g")
        self.assertEqual(self.receipt("gw-1", "delivered", secret="wrong").status_code, 403)
        self.assertEqual(self.receipt("gw-1", "delivered", timestamp=str(int(time.time()) - 3600)).status_code, 403)
        self.assertEqual(self.receipt("gw-99", "delivered").status_code, 404)
        self.assertEqual(self.receipt("gw-1", "lost").status_code, 400)
        bad = self.client.post(reverse("sms-receipt"), "not json", content_type="application/json")
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(SMSMessage.objects.get(key="g:3").status, S.SENT)

    def test_a_server_error_is_retried_and_a_refusal_is_not(self):
        now = timezone.now()
        sms_queue(messages=[("g:4", "13900000004", "x"), ("g:5", "13700000005", "y")], batch="g", send=False)
        self.assertEqual(sms_send_batch(batch="g", now=now), {"sent": 2, "retry_in": 30})
        self.assertEqual(
            sorted(SMSMessage.objects.values_list("key", "status", "attempts")),
            [("g:4", S.QUEUED, 1), ("g:5", S.FAILED, 1)],
        )
        self.assertEqual(sms_send_batch(batch="g", now=now + datetime.timedelta(seconds=31))["sent"], 1)
        message = SMSMessage.objects.get(key="g:4")
        self.assertEqual((message.status, message.attempts, message.provider_id), (S.SENT, 2, "gw-1"))

    def test_the_rate_limit_spreads_messages_over_seconds(self):
        with override_settings(SMS_GATEWAY_RATE=2):
            backend = HTTPGatewaySMSBackend()
            started = time.monotonic()
            for n in range(5):
                backend.send(f"1380000001{n}", "x")
        # 5 messages at 2 a second take at least two second boundaries.
        self.assertGreaterEqual(time.monotonic() - started, 1.0)
        self.assertEqual(len(_Gateway.received), 5)
