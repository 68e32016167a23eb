"""SMS backends. Offices plug in their carrier's gateway by naming a class in SMS_BACKEND.

A backend sends one message with `send(phone, text, *, message_id=None)` and returns the gateway's
message id ("" when there is none). `message_id` is the same each time the same message is sent (a
worker killed between the gateway's answer and the row's commit sends it again after restart): a
backend passes it to the carrier as its de-duplication key (Aliyun's `OutId`, say), so that the
second attempt is not a second message. A backend whose `send` takes no `message_id` still works.
It raises `SMSDeliveryError` when the message did not go out; `retryable` says
whether trying again later may help (a timeout, a 5xx) or not (a rejected number).
`confirms_delivery` is True when the gateway later reports delivery on the receipt callback;
otherwise handing the message over is all there is to know, and it counts as delivered.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import hmac
import inspect
import json
import logging
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("mobilization.sms")

__all__ = [
    "FileSMSBackend",
    "HTTPGatewaySMSBackend",
    "LoggingSMSBackend",
    "SMSDeliveryError",
    "accepts_message_id",
    "get_backend",
    "gateway_signature",
    "send_sms",
]


class SMSDeliveryError(Exception):
    def __init__(self, message, *, retryable=True):
        super().__init__(message)
        self.retryable = retryable


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def accepts_message_id(backend) -> bool:
    """Whether the backend's `send` takes the message id (and so sends a repeated message once)."""
    return "message_id" in inspect.signature(backend.send).parameters


def send_sms(backend, phone: str, text: str, *, message_id: str):
    """Send through `backend`, with the message id when its `send` takes one; returns its answer."""
    if accepts_message_id(backend):
        return backend.send(phone, text, message_id=message_id)
    return backend.send(phone, text)


def gateway_signature(secret: str, *parts: str) -> str:
    """HMAC-SHA256 (hex) over the parts joined by newlines: how requests to the gateway and the
    receipts it sends back are signed."""
    return hmac.new(secret.encode(), "\n".join(parts).encode(), hashlib.sha256).hexdigest()


class LoggingSMSBackend:
    """Logs the message instead of sending it: the default until a gateway is configured."""

    confirms_delivery = False

    def send(self, phone, text, *, message_id=None):
        logger.info("SMS to %s: %s", phone[:3] + "****" + phone[-4:], text)
        return ""


class FileSMSBackend:
    """Appends one JSON line per message (`to`, `text`, `sent_at`, `id`) to SMS_FILE_PATH: the
    demo's and the tests' handset, or a spool file a gateway reads. Lines are written under an
    exclusive lock, so several workers never interleave them. Like a carrier given a
    de-duplication key, it writes a message id once: a repeat (after a worker was killed mid-send)
    is dropped."""

    confirms_delivery = False
    # Per process: path -> (bytes read so far, ids seen); the file is the truth, read incrementally.
    _seen = {}

    def __init__(self, path=None):
        self.path = Path(path or settings.SMS_FILE_PATH)

    def send(self, phone, text, *, message_id=None):
        try:
            with open(self.path, "a+b") as spool:
                fcntl.flock(spool, fcntl.LOCK_EX)  # writers in other processes append one at a time
                try:
                    if message_id is not None and message_id in self._ids(spool):
                        logger.info("SMS %s already sent: not sent again", message_id)
                        return ""
                    line = {"to": phone, "text": text, "sent_at": timezone.now().isoformat()}
                    if message_id is not None:
                        line["id"] = message_id
                    spool.seek(0, os.SEEK_END)
                    spool.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
                    spool.flush()  # in the OS's hands: a killed worker loses nothing it wrote
                finally:
                    fcntl.flock(spool, fcntl.LOCK_UN)
        except OSError as exc:
            raise SMSDeliveryError(f"cannot write {self.path}: {exc}") from exc
        return ""

    def _ids(self, spool):
        key = str(self.path)
        offset, ids = self._seen.get(key, (0, set()))
        size = os.fstat(spool.fileno()).st_size
        if size < offset:  # the file was replaced: read it again
            offset, ids = 0, set()
        spool.seek(offset)
        for raw in spool.read(size - offset).splitlines():
            message_id = json.loads(raw).get("id")
            if message_id is not None:
                ids.add(message_id)
        self._seen[key] = (size, ids)
        return ids


class HTTPGatewaySMSBackend:
    """The office's SMS platform over HTTP.

    POSTs JSON `{"account", "to", "text", "callback", "out_id"}` (out_id: our message id, the
    gateway's de-duplication key) to SMS_GATEWAY_URL with the headers
    `X-Timestamp` (Unix seconds) and `X-Signature` = HMAC-SHA256(SMS_GATEWAY_SECRET, account, to,
    text, timestamp); the gateway answers `{"id": "..."}` and later POSTs the delivery receipt to
    `callback` (see `mobilization.views.sms_receipt`). At most SMS_GATEWAY_RATE messages a second
    leave the whole site (the counter lives in the shared cache, so every worker obeys it)."""

    confirms_delivery = True

    def __init__(self):
        self.url = settings.SMS_GATEWAY_URL
        self.account = settings.SMS_GATEWAY_ACCOUNT
        self.secret = settings.SMS_GATEWAY_SECRET
        self.rate = settings.SMS_GATEWAY_RATE
        self.timeout = settings.SMS_GATEWAY_TIMEOUT
        self.callback = settings.SMS_RECEIPT_URL
        if not (self.url and self.account and self.secret):
            raise SMSDeliveryError("SMS_GATEWAY_URL, SMS_GATEWAY_ACCOUNT and SMS_GATEWAY_SECRET must be set")

    def _wait_for_slot(self):
        if not self.rate:
            return
        while True:
            second = int(time.time())
            key = f"sms:rate:{second}"
            cache.add(key, 0, timeout=5)
            try:
                taken = cache.incr(key)
            except ValueError:  # expired between add and incr: take the next second's slot
                continue
            if taken <= self.rate:
                return
            time.sleep(max(0.0, second + 1 - time.time()))

    def send(self, phone, text, *, message_id=None):
        self._wait_for_slot()
        timestamp = str(int(time.time()))
        body = json.dumps(
            {"account": self.account, "to": phone, "text": text, "callback": self.callback, "out_id": message_id},
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Timestamp": timestamp,
                "X-Signature": gateway_signature(self.secret, self.account, phone, text, timestamp),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            # 4xx: the gateway refused this message (bad number, bad signature): trying again will not help.
            raise SMSDeliveryError(
                f"gateway answered {exc.code}", retryable=exc.code >= 500 or exc.code == 429
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise SMSDeliveryError(f"gateway unreachable: {exc}") from exc
        message_id = str(answer.get("id") or "")
        if not message_id:
            raise SMSDeliveryError("gateway answered without a message id")
        return message_id


def receipt_fresh(timestamp: str, *, now: datetime.datetime | None = None, tolerance: int = 300) -> bool:
    """A receipt's timestamp is within `tolerance` seconds of now (a replayed receipt is not)."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    now_ts = (now or timezone.now()).timestamp()
    return abs(now_ts - sent) <= tolerance
