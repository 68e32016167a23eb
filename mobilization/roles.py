"""Roles and what they may do: the one module that answers "may this user …".

| role                | works in          | may                                                                     |
|---------------------|-------------------|-------------------------------------------------------------------------|
| office staff        | admin, dashboard  | everything in their region subtree; a city (or higher) office also sets |
|                     |                   | grade thresholds; an office above another decides its reports           |
| unit liaison        | portal            | read their unit's roster, propose changes, record attendance            |
| inspector           | portal            | file inspection reports in their grid                                   |
| station director    | admin, portal     | review reports, order and verify rectifications in their township       |
| military liaison    | admin, portal     | read the region subtree; raise military requests and joint-office tasks |
| auditor             | admin             | read the audit trail, nothing else                                      |
| system admin        | admin             | reference data (regions, taxonomies, qualification kinds), beat         |
|                     |                   | schedules; no personal data, no audit trail                             |
| security admin      | admin             | accounts, roles, groups, unlocking, token and second-factor resets;     |
|                     |                   | no business records                                                     |

The last three are MLPS level 3's separated administrators (三员分立): daily work needs no
superuser.

What a role may do with each model is a Django permission held by the role's group. Each app
declares its part in its AppConfig as `role_permissions = {RoleChoices.X: [codenames]}`; the apps
this project does not own (auth, axes, beat, tokens, second factors) are declared here in
`OTHER_APPS_PERMISSIONS`. `role_permissions()` assembles both, and `sync_role_groups` writes them
into the groups after every migrate. Which rows a role reaches is scoping's business
(`querysets.py`); the predicates below decide what goes beyond a permission.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps

from .choices import RoleChoices
from .querysets import LEVEL_DIGITS, region_prefix, user_profile, user_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from .models import Office

    AnyUser = AbstractBaseUser | AnonymousUser | None

__all__ = [
    "ADMIN_SITE_ROLES",
    "OTHER_APPS_PERMISSIONS",
    "PHONE_ROLES",
    "may_change_account",
    "may_change_grade_thresholds",
    "may_decide_office_reports",
    "may_grant_privileges",
    "may_manage_accounts",
    "requires_two_factor",
    "may_prepare_office_reports",
    "may_read_audit_trail",
    "may_read_metrics",
    "may_reveal_id_number",
    "role_permissions",
    "sees_phone_numbers",
    "uses_admin_site",
]

R = RoleChoices

# Roles that work in the browser admin (their users are staff); liaisons and inspectors use the portal.
ADMIN_SITE_ROLES = frozenset(
    {
        R.OFFICE_STAFF,
        R.STATION_DIRECTOR,
        R.MILITARY_LIAISON,
        R.AUDITOR,
        R.SYSTEM_ADMIN,
        R.SECURITY_ADMIN,
    }
)

# GB/T 22239-2019 §8.1.4.1: administrators and the roles that see a whole region prove who they
# are with two factors (under OTP_REQUIRED); liaisons and inspectors may enrol, and then must use it.
TWO_FACTOR_ROLES = frozenset({R.OFFICE_STAFF, R.STATION_DIRECTOR, R.AUDITOR, R.SYSTEM_ADMIN, R.SECURITY_ADMIN})

# Office staff run the roster and the member unit's liaison calls its own people; the military
# liaison, grid roles and the auditor read rosters without needing to ring anyone. (A liaison
# only ever sees the persons of its own unit and teams: scoping decides that.)
PHONE_ROLES = frozenset({R.OFFICE_STAFF, R.UNIT_LIAISON})

# The audit trail is written by code only and read by the auditor alone: wildcards skip it.
AUDIT_MODELS = frozenset({"auditevent", "auditarchive", "auditchainhead"})

# Permissions on the models of apps the project does not own, by app label. Apps that are not
# installed are skipped (the second-factor apps arrive with the accounts work).
OTHER_APPS_PERMISSIONS: dict[RoleChoices, dict[str, list[str]]] = {
    # The beat schedules: times, arguments, enabled or not.
    R.SYSTEM_ADMIN: {"django_celery_beat": ["*"]},
    # The auditor opens the accounts the trail names, and nothing of the office's records.
    R.AUDITOR: {"auth": ["view_user"]},
    R.SECURITY_ADMIN: {
        # Accounts and the role groups (the groups' permissions are rewritten from the
        # declarations after each migrate, so they are read-only in practice).
        "auth": ["view_user", "add_user", "change_user", "view_group"],
        # Unlocking an account is deleting its failed attempts.
        "axes": ["view_accessattempt", "delete_accessattempt", "view_accesslog", "view_accessfailurelog"],
        "authtoken": ["view_tokenproxy", "delete_tokenproxy"],
        "otp_totp": ["view_totpdevice", "delete_totpdevice"],
        "otp_static": ["view_staticdevice", "delete_staticdevice"],
    },
}


def _codenames(app_config, entries) -> set[str]:
    """Expand "*" (every permission of every model) and "view:*" (view on every model); "-codename"
    takes back one that an earlier wildcard gave. A model declaring fewer default permissions
    (a derived table such as members.PersonRegion declares none) gives only those."""
    models = [
        m
        for m in app_config.get_models()
        if not m.__name__.startswith("Historical") and m._meta.model_name not in AUDIT_MODELS
    ]
    codenames = set()
    for entry in entries:
        if entry == "*":
            codenames |= {
                f"{action}_{m._meta.model_name}"
                for m in models
                for action in ("view", "add", "change", "delete")
                if action in m._meta.default_permissions
            }
        elif entry == "view:*":
            codenames |= {f"view_{m._meta.model_name}" for m in models if "view" in m._meta.default_permissions}
        elif entry.startswith("-"):
            codenames.discard(entry[1:])
        else:
            codenames.add(entry)
    return codenames


def role_permissions() -> dict[RoleChoices, set[tuple[str, str]]]:
    """Every role's permissions as (app label, codename): what the apps declare in their
    AppConfig's `role_permissions` and what `OTHER_APPS_PERMISSIONS` adds."""
    wanted: dict[RoleChoices, set[tuple[str, str]]] = {role: set() for role in RoleChoices}
    declarations = [(config, getattr(config, "role_permissions", None) or {}) for config in apps.get_app_configs()]
    for role, by_app in OTHER_APPS_PERMISSIONS.items():
        for label, entries in by_app.items():
            if _installed(label):
                declarations.append((apps.get_app_config(label), {role: entries}))
    for app_config, spec in declarations:
        for role, entries in spec.items():
            wanted[RoleChoices(role)] |= {(app_config.label, c) for c in _codenames(app_config, entries)}
    return wanted


def _installed(label: str) -> bool:
    try:
        apps.get_app_config(label)
    except LookupError:
        return False
    return True


# --- predicates ------------------------------------------------------------------------------------------


def _active(user: AnyUser) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def uses_admin_site(role: str | None) -> bool:
    """Whether users of `role` work in the browser admin (and so are staff)."""
    return role in ADMIN_SITE_ROLES


def may_manage_accounts(user: AnyUser) -> bool:
    """Whether `user` keeps accounts, roles and lockouts: the security administrator, or a superuser.
    Office staff read profiles in their region but assign no roles: that is the security
    administrator's separated duty."""
    return _active(user) and (user.is_superuser or user_role(user) == R.SECURITY_ADMIN)


def may_change_account(user: AnyUser, account) -> bool:
    """Whether `user` may change `account` (its details, password, active flag): an account
    manager, but a superuser's account only another superuser, so that the security
    administrator cannot take one over."""
    return may_manage_accounts(user) and (user.is_superuser or not account.is_superuser)


def may_grant_privileges(user: AnyUser) -> bool:
    """Whether `user` may make a superuser or give permissions outside the role groups: only a
    superuser. Everyone else's privileges come from their role alone."""
    return _active(user) and user.is_superuser


def sees_phone_numbers(user: AnyUser) -> bool:
    """Whether `user` sees the phone numbers of persons and contacts in full (others see them masked)."""
    return _active(user) and (user.is_superuser or user_role(user) in PHONE_ROLES)


def may_reveal_id_number(user: AnyUser) -> bool:
    """Whether `user` may reveal a full resident ID number (each reveal is audited by the service)."""
    return _active(user) and user.has_perm("members.reveal_id_number")


def may_read_metrics(user: AnyUser) -> bool:
    """Whether `user` reads `/metrics`, the system's health: the system administrator, or a superuser."""
    return _active(user) and (user.is_superuser or user_role(user) == R.SYSTEM_ADMIN)


def may_read_audit_trail(user: AnyUser) -> bool:
    """Whether `user` reads the audit trail and the change feed (the auditor, or a superuser)."""
    return _active(user) and user.has_perm("mobilization.view_auditevent")


def may_change_grade_thresholds(user: AnyUser) -> bool:
    """Whether `user` may set grade thresholds and targets: they apply to every office and saving
    them regrades a whole year, so only a city (or higher) office or a superuser may."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    profile = user_profile(user)
    return bool(
        profile is not None
        and profile.role == R.OFFICE_STAFF
        and profile.region_id
        and len(region_prefix(profile.region_id)) <= LEVEL_DIGITS["city"]
    )


def _office_staff_region(user: AnyUser) -> str | None:
    profile = user_profile(user)
    return profile.region_id if profile is not None and profile.role == R.OFFICE_STAFF else None


def may_prepare_office_reports(user: AnyUser, office: Office) -> bool:
    """Whether `user` prepares, edits and submits `office`'s statistics reports: only the staff of
    that office itself (or a superuser)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    region = _office_staff_region(user)
    return region is not None and region == office.region_id


def may_decide_office_reports(user: AnyUser, office: Office) -> bool:
    """Whether `user` approves or returns `office`'s statistics reports: only the staff of an office
    above it (the city office for a district's), or a superuser."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    region = _office_staff_region(user)
    return region is not None and region != office.region_id and office.region_id.startswith(region_prefix(region))


def requires_two_factor(user: AnyUser) -> bool:
    """Whether the user's role (or superuser status) calls for a second factor under OTP_REQUIRED."""
    return _active(user) and (user.is_superuser or user_role(user) in TWO_FACTOR_ROLES)
