"""The API's one exception handler: every refusal a client can cause is a 4xx with a JSON body
(`{"field": ["message"]}` for a field, `{"detail": "..."}` otherwise), never a 500.

- a service's Django `ValidationError` → 400 with its field messages;
- deleting a row that others still refer to (`ProtectedError`, `RestrictedError`, a foreign key
  refused by the database) → 409 naming what still refers to it;
- a unique rule broken by a racing write (`IntegrityError`) → 400 naming the field;
- a value the database cannot store (`DataError`: a number out of range, a NUL character) → 400;
- a body over the upload limits (`RequestDataTooBig`, too many fields or files) → 413.
"""

import re

from django.apps import apps
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError, UniqueConstraint
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

__all__ = ["Conflict", "PayloadTooLarge", "exception_handler", "referrers_text"]


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def referrers_text(objects):
    """ "3 teams, 1 person": what still refers to a row, counted per kind."""
    counts = {}
    for obj in objects:
        meta = obj._meta
        counts.setdefault(meta, 0)
        counts[meta] += 1
    parts = [
        ngettext("%(count)d %(name)s", "%(count)d %(plural)s", n)
        % {"count": n, "name": meta.verbose_name, "plural": meta.verbose_name_plural}
        for meta, n in sorted(counts.items(), key=lambda item: str(item[0].verbose_name))
    ]
    return get_text_list(parts, _("and"))


def _in_use(objects):
    return Conflict(
        _("This record cannot be deleted: %(referrers)s still refer to it. Remove or reassign them first.")
        % {"referrers": referrers_text(objects)}
    )


# PostgreSQL names the broken constraint; SQLite lists the columns ("UNIQUE constraint failed: t.a, t.b").
_PG_CONSTRAINT = re.compile(r'constraint "([^"]+)"')
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$", re.MULTILINE)


def _unique_fields(exc):
    """The model field names of the unique rule an IntegrityError broke, or None if it was not one."""
    message = str(exc)
    cause = exc.__cause__
    constraint = getattr(getattr(cause, "diag", None), "constraint_name", None)
    if constraint is None and (match := _PG_CONSTRAINT.search(message)):
        constraint = match.group(1)
    if match := _SQLITE_UNIQUE.search(message):
        columns = [c.strip().split(".")[-1] for c in match.group(1).split(",")]
        table = match.group(1).split(",")[0].strip().split(".")[0]
        for model in apps.get_models():
            if model._meta.db_table == table:
                by_column = {f.column: f.name for f in model._meta.concrete_fields}
                return [by_column.get(c, c) for c in columns]
        return columns
    if not constraint or getattr(cause, "sqlstate", None) not in (None, "23505"):
        return None
    for model in apps.get_models():
        for rule in model._meta.constraints:
            if isinstance(rule, UniqueConstraint) and rule.name == constraint:
                return list(rule.fields)
        for field in model._meta.concrete_fields:
            if field.unique and constraint.startswith(model._meta.db_table) and field.column in constraint:
                return [field.name]
    return None


def _integrity(exc, context):
    fields = _unique_fields(exc)
    if fields is not None:
        message = _("A record with these values already exists: %(fields)s.") % {"fields": ", ".join(fields)}
        view = context.get("view")
        serializer_class = view.get_serializer_class() if hasattr(view, "get_serializer_class") else None
        known = set(serializer_class().fields) if serializer_class else set()
        field = next((f for f in fields if f in known), None)
        return ValidationError({field: [message]} if field else {"detail": message})
    request = context.get("request")
    if request is not None and request.method == "DELETE":
        return Conflict(_("This record cannot be deleted: other records still refer to it."))
    return Conflict(_("This change conflicts with other records that refer to it."))


def exception_handler(exc, context):
    """DRF's handler, after turning the errors a client can cause into API exceptions."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = _in_use(exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects)
    elif isinstance(exc, IntegrityError):
        exc = _integrity(exc, context)
    elif isinstance(exc, DataError):
        exc = ValidationError(
            {"detail": _("A value is out of range or holds characters that cannot be stored (such as NUL).")}
        )
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(_("The request body is larger than the server accepts."))
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = PayloadTooLarge(_("The request has more fields or files than the server accepts."))
    return drf_exception_handler(exc, context)
