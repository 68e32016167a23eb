"""SMS backends. Offices plug in their carrier's gateway by naming a class in SMS_BACKEND.

A backend's `send(phone, text, *, message_id=None)` is given an id that is the same each time the
same copy is sent (a worker killed between the carrier's answer and the row's commit sends it again
after restart): pass it to the carrier as its de-duplication key (Aliyun's `OutId`, say), so that
the second attempt is not a second message. A backend whose `send` takes no `message_id` still works.
"""

import datetime
import fcntl
import inspect
import json
import logging
import os
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("mobilization.sms")

__all__ = ["FileSMSBackend", "LoggingSMSBackend", "accepts_message_id", "send_sms"]


class LoggingSMSBackend:
    """Logs the message instead of sending it: the default until a gateway is configured."""

    def send(self, phone, text, *, message_id=None):
        logger.info("SMS to %s: %s", phone[:3] + "****" + phone[-4:], text)


class FileSMSBackend:
    """Appends one JSON line per message (`to`, `text`, `sent_at`, `id`) to SMS_FILE_PATH, for a
    gateway that reads a spool file, and for tests. Like a carrier given a de-duplication key, it
    writes a message id once: a repeat (after a worker was killed mid-send) is dropped."""

    # Per process: path -> (bytes read so far, ids seen); the file is the truth, read incrementally.
    _seen = {}

    def __init__(self, path=None):
        self.path = Path(path or settings.SMS_FILE_PATH)

    def send(self, phone, text, *, message_id=None):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as spool:
            fcntl.flock(spool, fcntl.LOCK_EX)  # writers in other processes append one at a time
            try:
                if message_id is not None and message_id in self._ids(spool):
                    logger.info("SMS %s already sent: not sent again", message_id)
                    return
                line = {"to": phone, "text": text, "sent_at": datetime.datetime.now(datetime.UTC).isoformat()}
                if message_id is not None:
                    line["id"] = message_id
                spool.seek(0, os.SEEK_END)
                spool.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
                spool.flush()  # in the OS's hands: a killed worker loses nothing it wrote
            finally:
                fcntl.flock(spool, fcntl.LOCK_UN)

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


def accepts_message_id(backend):
    """Whether the backend's `send` takes the message id (and so sends a repeated copy once)."""
    return "message_id" in inspect.signature(backend.send).parameters


def send_sms(backend, phone, text, *, message_id):
    """Send through `backend`, with the message id when its `send` takes one."""
    if accepts_message_id(backend):
        backend.send(phone, text, message_id=message_id)
    else:
        backend.send(phone, text)
