"""Reads of lists, dashboards, statistics and exports on a read replica (`DATABASE_REPLICA_URL`).

`ReplicaReadMiddleware` marks a request as one that may read from the replica when it is a GET or
HEAD to a view that only reads and shows aggregates or lists: a DRF viewset action named in its
`replica_actions` (`list` by default), or a page view decorated with `@replica_reads`. The router
then sends that request's reads to the `replica` alias, and sends everything else to the primary:

- every write (`db_for_write` is always the primary), and every read in the same request after a
  write or inside a transaction (read-after-write within a request);
- every request of a client that wrote within the last `REPLICA_PIN_SECONDS` (a cookie set on the
  answer to any POST/PUT/PATCH/DELETE), so the list shown right after a change is read where the
  change was made, whatever the replica's lag;
- detail views, forms, tasks, management commands: everything outside a marked request.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "db_primary"
SAFE = ("GET", "HEAD")


@dataclass
class _RequestReads:
    eligible: bool = False
    wrote: bool = False


_state: ContextVar[_RequestReads | None] = ContextVar("replica_reads", default=None)


def replica_reads(view):
    """Mark a page view (dashboard, statistics, export) whose GET may read from the replica."""
    view.replica_reads = True
    return view


def _enabled():
    return getattr(settings, "REPLICA_READS", False) and REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or not state.eligible or state.wrote or not _enabled():
            return None
        if connections["default"].in_atomic_block:
            return None  # a transaction reads what it may have written
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _eligible(request, view_func):
    if request.method not in SAFE or request.COOKIES.get(PIN_COOKIE):
        return False
    if getattr(view_func, "replica_reads", False):
        return True
    cls, actions = getattr(view_func, "cls", None), getattr(view_func, "actions", None)
    if cls is None or not actions:
        return False
    return actions.get(request.method.lower()) in getattr(cls, "replica_actions", ())


class ReplicaReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _state.set(_RequestReads())
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if request.method not in SAFE and _enabled():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _state.get()
        if state is not None and not state.wrote:
            state.eligible = _eligible(request, view_func)
