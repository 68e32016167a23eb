"""Masking of personal data, wherever it is shown to someone who may not read it in full: ID
numbers, phone numbers and birth dates. `mask_field` applies the rule a field's name (or its
encrypted type) calls for, so records of any app are masked alike, in the audit trail as well."""

import datetime

__all__ = ["mask_birth_date", "mask_field", "mask_id_number", "mask_mapping", "mask_phone"]

HIDDEN = "******"


def mask_id_number(value):
    """'370303199001011234' -> '370303********1234': the region shows, the birth date does not."""
    return f"{value[:6]}{'*' * 8}{value[14:]}" if value else ""


def mask_phone(value):
    """'13812341234' -> '138****1234'."""
    return f"{value[:3]}****{value[7:]}" if value and len(value) == 11 else value


def mask_birth_date(value):
    """A birth date is personal data: only its year is shown ('1990-01-01' -> '1990')."""
    if isinstance(value, datetime.date):
        return str(value.year)
    return str(value)[:4] if value else value


def _rule(name):
    name = name.lower()
    if any(word in name for word in ("password", "secret", "token", "encrypted", "_hash", "otp")):
        return lambda value: HIDDEN if value else value
    if name.endswith("_masked"):
        return None  # already masked where it was stored
    if "id_number" in name:
        return lambda value: mask_id_number(str(value)) if value else value
    if "phone" in name or "mobile" in name:
        return lambda value: mask_phone(str(value)) if value else value
    if "birth" in name:
        return mask_birth_date
    return None


def mask_field(name, value, field=None):
    """`value` of the field called `name` as it may be shown: masked if it is personal data.

    A field of an encrypted type (its class name says so) is personal data whatever its name:
    unless its name says which mask fits, nothing of it is shown."""
    if isinstance(value, dict):
        return mask_mapping(value)
    if isinstance(value, (list, tuple)):
        return [mask_field(name, item, field) for item in value]
    rule = _rule(name)
    if rule is not None:
        return rule(value)
    if field is not None and "encrypt" in type(field).__name__.lower():
        return HIDDEN if value else value
    return value


def mask_mapping(data):
    """A JSON-like mapping (a change request's proposed values, say) with its personal data masked."""
    if isinstance(data, dict):
        return {key: mask_field(str(key), value) for key, value in data.items()}
    if isinstance(data, list):
        return [mask_mapping(value) for value in data]
    return data
