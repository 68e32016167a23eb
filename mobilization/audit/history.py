"""The history manager of every `BaseModel`: simple-history's, whose bulk paths audit too.

Kept apart from `capture` (which imports the models) because the base model imports it."""

from simple_history.manager import HistoryManager

__all__ = ["AuditedHistoryManager"]


class AuditedHistoryManager(HistoryManager):
    """`bulk_create_with_history` and `bulk_update_with_history` send no signal per row: their
    events are written here, all in one insert."""

    def bulk_history_create(self, objs, *args, **kwargs):
        from .capture import on_bulk_history

        objs = list(objs)
        rows = super().bulk_history_create(objs, *args, **kwargs)
        if rows:
            on_bulk_history(self.model, rows, objs)
        return rows
