"""Model fields for personal data kept encrypted at rest.

`EncryptedCharField` holds a value in the database only as an SM4 ciphertext (`crypto.encrypt`)
and hands it to Python in clear when read, so forms, validators and the SMS backend keep
working on the real value; every display goes through a masking helper. Ciphertexts are
random, so the database cannot compare them: a `KeyedHashField` beside it holds the HMAC-SM3
of the same value, and lookups go through it (`hashed_lookup`). Comparing the encrypted
column with anything but "" raises, so a forgotten `phone=...` filter fails loudly instead
of silently matching nothing.

`SealedJSONField` does the same for named keys of a JSON object (the phones a roster change
proposes). `CiphertextField` holds a ciphertext the services make and open themselves (the
resident ID number, which only an audited reveal decrypts). `rotate_field_key` walks all three.
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import crypto

__all__ = [
    "CiphertextField",
    "EncryptedCharField",
    "KeyedHashField",
    "SealedJSONField",
    "hashed_in",
    "hashed_lookup",
    "protected_fields",
]


class EncryptedExact(Exact):
    """Only "is it empty?" can be asked of a ciphertext column."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: look it up through its keyed hash (hashed_lookup), not its value."
            )
        return ""


class EncryptedCharField(models.CharField):
    """A short text (a phone number) stored as an SM4 ciphertext; `max_length` bounds the clear value."""

    def get_internal_type(self):
        return "TextField"  # a ciphertext is longer than the value it holds

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EncryptedExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value)

    def to_python(self, value):
        if crypto.is_token(value):
            return crypto.decrypt(value)
        return super().to_python(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value or crypto.is_token(value):
            return value
        return crypto.encrypt(value)


class KeyedHashField(models.CharField):
    """The keyed hash of another field on the same model, refreshed on every save from its clear value."""

    def __init__(self, *args, source, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.source)
        digest = crypto.keyed_hash(value) if value else ""
        setattr(model_instance, self.attname, digest)
        return digest


class CiphertextField(models.TextField):
    """A ciphertext made and opened by services (`crypto.encrypt`), with the field holding its keyed hash."""

    def __init__(self, *args, hash_field, **kwargs):
        self.hash_field = hash_field
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs


class SealedJSONField(models.JSONField):
    """A JSON object whose `sealed_keys` hold personal data: those values are stored encrypted."""

    def __init__(self, *args, sealed_keys=(), **kwargs):
        self.sealed_keys = tuple(sealed_keys)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["sealed_keys"] = self.sealed_keys
        return name, path, args, kwargs

    def _each(self, value, change):
        if not isinstance(value, dict):
            return value
        return {k: change(v) if k in self.sealed_keys and isinstance(v, str) and v else v for k, v in value.items()}

    def get_prep_value(self, value):
        return super().get_prep_value(self._each(value, lambda v: v if crypto.is_token(v) else crypto.encrypt(v)))

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return self._each(value, lambda v: crypto.decrypt(v) if crypto.is_token(v) else v)


def hashed_lookup(path, value):
    """`{"<path>_hash__in": [...]}` for a filter on an encrypted field: `path` names the field
    (through relations too, `person__phone`); empty `value` asks for the empty field."""
    if not value:
        return {path: ""}
    return {f"{path}_hash__in": crypto.keyed_hashes(value)}


def hashed_in(path, values):
    """`{"<path>_hash__in": [...]}`: rows whose encrypted `path` is any of `values` (none empty)."""
    return {f"{path}_hash__in": [h for value in values if value for h in crypto.keyed_hashes(value)]}


def protected_fields(model):
    """The fields of `model` that hold ciphertexts, as `rotate_field_key` walks them."""
    kinds = (EncryptedCharField, SealedJSONField, CiphertextField)
    return [f for f in model._meta.concrete_fields if isinstance(f, kinds)]
