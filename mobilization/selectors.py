"""Reads across models that belong to no single app: the change log the auditor reads."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast

from .apps import project_app_configs

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

__all__ = ["change_log", "historical_models"]


def historical_models() -> dict[str, type[Model]]:
    """label of the tracked model -> its historical model, for every project model with history."""
    found = {}
    for app_config in project_app_configs():
        for model in app_config.get_models():
            history = getattr(model, "history", None)
            if history is not None and hasattr(history, "model") and not model.__name__.startswith("Historical"):
                found[model._meta.label_lower] = history.model
    return found


def change_log(
    *,
    model: str | None = None,
    user_id: int | str | None = None,
    since: datetime.datetime | str | None = None,
    until: datetime.datetime | str | None = None,
) -> QuerySet[Model, dict[str, Any]] | list[dict[str, Any]]:
    """Every recorded change (create, update, delete) of the chosen models, newest first:
    one UNION over the history tables, so it pages in the database. `user_id`, `since` and
    `until` may be given as the query string's text (ISO date-times): the database field parses them."""
    models = historical_models()
    chosen = {model: models[model]} if model else models
    parts = []
    for label, historical in chosen.items():
        qs = historical.objects.all()
        if user_id:
            qs = qs.filter(history_user_id=user_id)
        if since:
            qs = qs.filter(history_date__gte=since)
        if until:
            qs = qs.filter(history_date__lt=until)
        pk_name = historical._meta.get_field(historical.instance_type._meta.pk.name).attname
        parts.append(
            qs.annotate(
                record_model=Value(label, output_field=CharField()),
                record_id=Cast(F(pk_name), CharField()),
            )
            .order_by()
            .values(
                "history_id",
                "history_date",
                "history_type",
                "history_change_reason",
                "record_model",
                "record_id",
                "history_user_id",
            )  # fmt: skip
        )
    if not parts:
        return []
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date")
