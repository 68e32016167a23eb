from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..audit.history import AuditedHistoryManager
from ..querysets import Scope, ScopedQuerySet

__all__ = ["BaseModel", "ScopedModel"]


class ScopedModel(models.Model):
    """Stamps and the scoped manager, for append-only rows that need no history."""

    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        abstract = True


class BaseModel(ScopedModel):
    """Every record of the office: stamps, the scoped manager and a full history of changes,
    each change also an event of the audit trail (mobilization.audit.capture)."""

    history = HistoricalRecords(inherit=True, history_manager=AuditedHistoryManager)

    class Meta:
        abstract = True
