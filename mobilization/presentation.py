"""How people are named on every page: one full name as people write it."""

__all__ = ["full_name", "user_display", "name_users_in_chinese_order"]


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
