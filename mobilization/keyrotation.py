"""Moving every protected value to the current field-key version (`manage.py rotate_field_key`).

Every model with a protected field is walked — history tables included — in batches by
primary key; each batch is read under a row lock, re-encrypted and re-hashed under the
current key and written in one statement per field, in its own transaction. A row is picked
only while one of its ciphertexts carries another version's prefix, so an interrupted run
resumes where it stopped, and a finished one finds nothing to do. Meanwhile the system keeps
serving: older versions stay readable through FIELD_ENCRYPTION_KEYRING and lookups ask for
every version's hash (`crypto.keyed_hashes`). Nothing here writes history or touches
`updated`: the records did not change, only how they are kept.
"""

import time
from dataclasses import dataclass

from django.apps import apps
from django.db import connections, models, router, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Cast

from . import crypto
from .fields import CiphertextField, EncryptedCharField, KeyedHashField, SealedJSONField, protected_fields

__all__ = ["RotationReport", "protected_models", "rotate_field_key", "rows_behind", "write_rows"]


@dataclass
class RotationReport:
    model: str
    rows: int
    seconds: float


def protected_models():
    return [m for m in apps.get_models() if protected_fields(m)]


def _raw(field):
    return f"_raw_{field.name}"


def _behind(model):
    """Rows holding a ciphertext of another version (a JSON object: any ciphertext, sorted out per row)."""
    prefix = crypto.token_prefix()
    query = Q()
    for field in protected_fields(model):
        raw = _raw(field)
        if isinstance(field, SealedJSONField):
            query |= Q(**{f"{raw}__contains": '"v'})
        else:
            query |= Q(**{f"{raw}__startswith": "v"}) & ~Q(**{f"{raw}__startswith": prefix})
    annotations = {_raw(f): Cast(f.name, models.TextField()) for f in protected_fields(model)}
    return model._base_manager.annotate(**annotations).filter(query)


def rows_behind(model):
    return _behind(model).count()


def write_rows(model, objs, names):
    """Write fields `names` of `objs` back, one parameterised UPDATE per row sent as a batch.

    Django's bulk_update builds a CASE per field over the whole batch, which costs more in
    Python than the rows cost the database (some 8 ms a row); each value still passes through
    its field's `get_db_prep_save`, so the encrypting fields encrypt."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET "
        + ", ".join(f"{quote(f.column)} = %s" for f in fields)
        + f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    params = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _rotate_row(obj, fields, hashes):
    """Set the row's values anew under the current key; the fields encrypt clear values as they are written."""
    version = crypto.current_version()
    for field in fields:
        if isinstance(field, CiphertextField):
            token = getattr(obj, field.attname)
            if token and crypto.token_version(token) != version:
                clear = crypto.decrypt(token)
                setattr(obj, field.attname, crypto.encrypt(clear))
                setattr(obj, field.hash_field, crypto.keyed_hash(clear))
        elif isinstance(field, EncryptedCharField) and field.name in hashes:
            value = getattr(obj, field.attname)
            setattr(obj, hashes[field.name], crypto.keyed_hash(value) if value else "")


def _write_names(model):
    fields = protected_fields(model)
    hashes = {f.source: f.attname for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)}
    names = [f.attname for f in fields]
    names += [hashes[f.name] for f in fields if f.name in hashes]
    names += [f.hash_field for f in fields if isinstance(f, CiphertextField)]
    return fields, hashes, names


def _follow_hashes(model):
    """Rows whose hash copies another row's (a roster change item naming an existing person)."""
    original = getattr(model, "instance_type", model)  # a history model's own class
    follows = getattr(original, "hash_follows", None)
    if not follows:
        return
    relation, hash_field, empty_field = follows
    target = model._meta.get_field(relation).related_model
    model._base_manager.filter(**{empty_field: "", f"{relation}__isnull": False}).update(
        **{hash_field: Subquery(target._base_manager.filter(pk=OuterRef(f"{relation}_id")).values(hash_field)[:1])}
    )


def rotate_model(model, *, batch_size=1000, progress=None):
    """Move every row of `model` to the current key version; returns how many rows were rewritten."""
    fields, hashes, names = _write_names(model)
    done, last_pk = 0, None
    while True:
        with transaction.atomic():
            batch = _behind(model).order_by("pk").select_for_update()
            if last_pk is not None:
                batch = batch.filter(pk__gt=last_pk)
            batch = list(batch[:batch_size])
            if not batch:
                break
            for obj in batch:
                _rotate_row(obj, fields, hashes)
            write_rows(model, batch, names)
        last_pk = batch[-1].pk
        done += len(batch)
        if progress:
            progress(model, done)
    return done


def rotate_field_key(*, batch_size=1000, progress=None):
    """Rotate every protected model; a report per model that had anything to move."""
    reports = []
    for model in protected_models():
        started = time.perf_counter()
        rows = rotate_model(model, batch_size=batch_size, progress=progress)
        reports.append(RotationReport(model._meta.label, rows, time.perf_counter() - started))
    for model in protected_models():  # once every row they copy from is on the new key
        _follow_hashes(model)
    return reports
