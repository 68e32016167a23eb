"""How personal data is shown to whoever lacks the right to see it whole.

The resident ID number (GB 11643: 6 region digits, 8 birth-date digits, 3 sequence digits of
which the last gives the sex, 1 check character) is shown as its region and its check
character only. Beside it a person shows at most their birth year (or age) and sex, so what
stays hidden — month and day, and two free sequence digits — is some 180,000 combinations,
of which the check character leaves about 16,000: nothing shown together rebuilds a number.
The database keeps in clear only what the mask shows, the birth year and the sex; revealing
a whole number is a permission and leaves an audit record (members.services).

Phone numbers are shown whole only to roles that ring people; the others see 138****1234.
"""

import datetime

from .querysets import user_role
from .roles import PHONE_ROLES, sees_phone_numbers

__all__ = [
    "ID_MASK_HIDDEN",
    "PHONE_ROLES",
    "mask_birth_date",
    "mask_field",
    "mask_id_number",
    "mask_mapping",
    "mask_phone",
    "phone_for",
    "sees_phone",
]

HIDDEN = "******"

ID_MASK_HIDDEN = 11  # birth date (8) and sequence (3): see the module's docstring


def mask_id_number(value):
    """'370303199001011234' -> '370303***********4': the region and the check character."""
    return f"{value[:6]}{'*' * ID_MASK_HIDDEN}{value[17:]}" if value else ""


def mask_phone(value):
    """'13812341234' -> '138****1234'; a landline keeps its first three and last two characters."""
    if not value:
        return value
    if len(value) == 11:
        return f"{value[:3]}****{value[7:]}"
    return f"{value[:3]}{'*' * (len(value) - 5)}{value[-2:]}" if len(value) >= 8 else "*" * len(value)


def sees_phone(user, model=None):
    """Whether `user` reads phones whole: the roles above, and those a model names as needing
    its phones (`phone_readers`: the grid calls a facility's contact about its orders)."""
    if sees_phone_numbers(user):
        return True
    readers = set(getattr(model, "phone_readers", ()))
    return bool(readers) and user is not None and user.is_authenticated and user_role(user) in readers


def phone_for(user, value, model=None):
    return value if sees_phone(user, model) else mask_phone(value)


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
