"""How personal data is shown: ID numbers always masked (revealing is a separate, audited
service), phone numbers masked for roles that have no need to call the person."""

from mobilization.choices import RoleChoices
from mobilization.masking import mask_id_number, mask_phone
from mobilization.querysets import user_role

__all__ = ["PHONE_ROLES", "mask_id_number", "mask_phone", "phone_for", "sees_phone"]

# Office staff run the roster and the member unit's liaison calls its own people; the
# military liaison, grid roles and the auditor read rosters without needing to ring anyone.
# (A liaison only ever sees the persons of its own unit and teams: scoping decides that.)
PHONE_ROLES = {RoleChoices.OFFICE_STAFF, RoleChoices.UNIT_LIAISON}


def sees_phone(user):
    return bool(user and user.is_authenticated and (user.is_superuser or user_role(user) in PHONE_ROLES))


def phone_for(user, value):
    return value if sees_phone(user) else mask_phone(value)
