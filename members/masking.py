"""How personal data is shown: ID numbers always masked (revealing is a separate, audited
service), phone numbers masked for roles that have no need to call the person (who those are is
`mobilization.roles.sees_phone_numbers`)."""

from mobilization.roles import sees_phone_numbers

__all__ = ["mask_id_number", "mask_phone", "phone_for"]


def mask_id_number(value):
    """'370303199001011234' -> '370303********1234': the region shows, the birth date does not."""
    return f"{value[:6]}{'*' * 8}{value[14:]}" if value else ""


def mask_phone(value):
    """'13812341234' -> '138****1234'."""
    return f"{value[:3]}****{value[7:]}" if value and len(value) == 11 else value


def phone_for(user, value):
    return value if sees_phone_numbers(user) else mask_phone(value)
