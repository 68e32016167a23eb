"""Reads of the command app that need a filter or annotation, and the append-only log's guard."""

from django.db.models import Q

from mobilization.querysets import ScopedQuerySet

__all__ = ["AppendOnlyError", "AppendOnlyQuerySet", "RequestStageQuerySet"]


class AppendOnlyError(Exception):
    """A command-log entry is never changed or deleted: a correction is a new entry."""


class RequestStageQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(completed_at__isnull=True)

    def overdue(self, today):
        """Open stages past their deadline, of requests not closed."""
        return self.open().filter(Q(deadline__lt=today))


class AppendOnlyQuerySet(ScopedQuerySet):
    """No bulk update or delete: the rows are a record that only grows."""

    def update(self, **kwargs):
        raise AppendOnlyError("command-log entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("command-log entries cannot be deleted")

    # bulk_update goes through update(); _update is what save() of an existing row would use.
    def _update(self, values):
        raise AppendOnlyError("command-log entries cannot be changed")
