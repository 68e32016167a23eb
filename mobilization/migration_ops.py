"""Data steps of the migrations that put personal data under SM4 (issue 10).

Kept apart from the migrations so that each app's migration names its columns in one line.
Values are read raw (a Cast, so no decrypting field converter runs) and written through the
model field, which encrypts; rows already holding a ciphertext are left alone, so a step may
run twice."""

from django.db import models
from django.db.models.functions import Cast

from . import crypto
from .keyrotation import write_rows

__all__ = ["encrypt_clear_columns", "reencrypt_legacy_tokens", "trigram_indexes"]

BATCH = 1000


def _batched_update(Model, objs, fields):
    for start in range(0, len(objs), BATCH):
        write_rows(Model, objs[start : start + BATCH], fields)


def encrypt_clear_columns(apps, label, columns):
    """Encrypt the clear values of `columns` ({field: hash field or None}) of model `label`."""
    Model = apps.get_model(label)
    for field, hash_field in columns.items():
        rows = (
            Model._base_manager.annotate(raw=Cast(field, models.TextField()))
            .exclude(raw="")
            .exclude(raw__isnull=True)
            .values_list("pk", "raw")
            .order_by("pk")
        )
        objs = []
        for pk, raw in rows.iterator(chunk_size=BATCH):
            if crypto.is_token(raw):
                continue
            obj = Model(pk=pk)
            setattr(obj, field, raw)  # the field encrypts it on the way in
            if hash_field:
                setattr(obj, hash_field, crypto.keyed_hash(raw))
            objs.append(obj)
        _batched_update(Model, objs, [field, hash_field] if hash_field else [field])


def reencrypt_legacy_tokens(apps, label, field, hash_field, extra=None):
    """Replace the Fernet ciphertexts of `field` by SM4 ones and re-hash with HMAC-SM3.

    `extra(obj, clear)` may set further fields from the clear value (they are written too)."""
    Model = apps.get_model(label)
    objs, extra_fields = [], set()
    for obj in Model._base_manager.exclude(**{field: ""}).order_by("pk").iterator(chunk_size=BATCH):
        token = getattr(obj, field)
        if crypto.is_token(token):
            continue
        clear = crypto.legacy_decrypt(token)
        setattr(obj, field, crypto.encrypt(clear))
        setattr(obj, hash_field, crypto.keyed_hash(clear))
        if extra:
            extra_fields |= set(extra(obj, clear))
        objs.append(obj)
    _batched_update(Model, objs, [field, hash_field, *sorted(extra_fields)])


def trigram_indexes(*specs):
    """A migration step adding, on PostgreSQL only, a GIN trigram index on UPPER(column) for each
    (table, column, index name): the expression Django's `icontains` compares, so the admin search
    and the API's `q` (substring matches, Chinese included) read the index instead of every row
    once the term has three characters. Nothing on other databases (SQLite in development)."""
    return _gin_indexes("(UPPER({column}::text)) gin_trgm_ops", specs)


def character_indexes(*specs):
    """A migration step adding, on PostgreSQL only, a GIN index on the characters of UPPER(column)
    for each (table, column, index name): what `mobilization.search.ContainsCharacters` asks, so a
    search of one or two characters reads the index (see mobilization/search.py)."""
    return _gin_indexes("(string_to_array(UPPER({column}::text), NULL))", specs)


def _gin_indexes(expression, specs):
    """A reversible migration step creating, on PostgreSQL only, a GIN index on `expression` (with
    `{column}` in it) for each (table, column, index name)."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column, name in specs:
            indexed = expression.format(column=column)
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({indexed})")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for _table, _column, name in specs:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(forwards, backwards, elidable=False)
