from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
    """Every record of the office: stamps, the scoped manager and a full history of changes."""

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
