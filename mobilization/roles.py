"""May this user …? The role predicates, one place for the admin, the API and the portal."""

from .choices import RoleChoices
from .querysets import user_role

__all__ = ["may_reset_two_factor", "may_unlock", "requires_two_factor"]

# GB/T 22239-2019 §8.1.4.1: administrators and the roles that see a whole region prove who
# they are with two factors; liaisons and inspectors may enrol, and then must use it too.
TWO_FACTOR_ROLES = frozenset(
    {
        RoleChoices.OFFICE_STAFF,
        RoleChoices.STATION_DIRECTOR,
        RoleChoices.AUDITOR,
        RoleChoices.SYSTEM_ADMIN,
        RoleChoices.SECURITY_ADMIN,
    }
)


def requires_two_factor(user) -> bool:
    """Whether the user's role (or superuser status) calls for a second factor under OTP_REQUIRED."""
    return bool(user and user.is_authenticated) and (user.is_superuser or user_role(user) in TWO_FACTOR_ROLES)


def _security_admin(user):
    return bool(user and user.is_authenticated and user.is_active) and (
        user.is_superuser or user_role(user) == RoleChoices.SECURITY_ADMIN
    )


def may_unlock(user):
    """Lists the current lockouts and releases them (the security administrator's work)."""
    return _security_admin(user)


def may_reset_two_factor(user):
    """Removes a user's second factor so that they enrol again (after a lost phone)."""
    return _security_admin(user)
