from django.core.exceptions import ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.permissions import DjangoModelPermissions

__all__ = ["ScopedModelPermissions"]


class ScopedModelPermissions(DjangoModelPermissions):
    """Model permissions from the user's role group, with two additions:

    - reading needs the view permission too;
    - a workflow action names its own permission in the viewset's `action_permissions`;
    - a user who lacks the permission for an object outside their scope hears 404, never
      403, so that nobody learns what exists beyond their region or unit.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        action_perms = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if action_perms is not None:
            allowed = request.user.has_perms(action_perms)
        else:
            allowed = super().has_permission(request, view)
        if not allowed:
            lookup = view.lookup_url_kwarg or view.lookup_field
            if lookup in view.kwargs and not self._exists(view, view.kwargs[lookup]):
                raise NotFound()
        return allowed

    @staticmethod
    def _exists(view, value):
        try:
            return view.get_queryset().filter(**{view.lookup_field: value}).exists()
        except (TypeError, ValueError, ValidationError):
            return False  # not even a well-formed id ("abc" for a number): it names nothing
