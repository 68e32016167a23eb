"""Request ids in the logs, and logs as JSON lines for the office's log collection.

The id of the request being served lives in a context variable (one per thread or task, never
shared between requests); `RequestIdFilter` copies it onto every log record so a traceback can be
found from the `X-Request-ID` header a user reports.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

__all__ = ["JsonFormatter", "RequestIdFilter", "current_request_id", "new_request_id", "request_id_var"]

request_id_var = contextvars.ContextVar("request_id", default="-")

# A caller's id is kept only if it is short and plain: it goes into log lines and a response header.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_request_id(offered=None):
    """The caller's `X-Request-ID` if it is sane, otherwise a fresh one."""
    if offered and _SANE_ID.match(offered):
        return offered
    return uuid.uuid4().hex


def current_request_id():
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the traceback if any."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
