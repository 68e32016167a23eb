"""How people, role groups and permissions are named on every page: a person by one full name as
people write it, a role group by its role, a permission in words."""

__all__ = [
    "full_name",
    "group_display",
    "permission_display",
    "user_display",
    "name_role_groups_by_role",
    "name_users_in_chinese_order",
]


def full_name(user):
    """A user's full name as people write it: family name first with no space for Chinese names
    (王芳), given name first for Latin ones (Anna Li); "" when the user has no name."""
    last, first = (user.last_name or "").strip(), (user.first_name or "").strip()
    if any(ord(c) > 0x2E7F for c in last + first):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def user_display(user):
    """What a page shows for a user: the full name, or the username when there is none."""
    if user is None:
        return ""
    return full_name(user) or user.get_username()


def name_users_in_chinese_order():
    """Make Django's own displays of a user (the admin's greeting, a user in a list, a form's
    choice, the history's "changed by") show `user_display` instead of the username or the
    given-name-first `get_full_name`. The user model is Django's own, so its methods are set
    here, once, when the app is ready."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.__str__ = user_display
    User.get_full_name = user_display
    User.get_short_name = user_display


def group_display(group):
    """What a page shows for a group: a role's group (named by the role's code) by the role's
    label, any other group by its name."""
    from .choices import RoleChoices

    return str(RoleChoices(group.name).label) if group.name in RoleChoices.values else group.name


def permission_display(permission):
    """What a page shows for a permission: its model and what it allows, in the reader's language.
    Django stores a permission's name in English ("Can add roster change"): the four default ones
    are named again here, the models' own (declared translatable) are translated."""
    from django.utils.translation import gettext

    from .package_strings import DEFAULT_PERMISSIONS

    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in DEFAULT_PERMISSIONS and model is not None and model_name == model._meta.model_name:
        name = DEFAULT_PERMISSIONS[action] % {"model": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    return f"{permission.content_type} | {name}"


def name_role_groups_by_role():
    """Make Django's own displays of a group (the user list's filter, an account's groups, the
    group list, the history) show `group_display` instead of the role's code, and of a
    permission `permission_display` instead of its English name. The models are Django's own,
    so their methods are set here, once, when the app is ready."""
    from django.contrib.auth.models import Group, Permission

    Group.__str__ = group_display
    Permission.__str__ = permission_display
