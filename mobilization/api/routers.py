from rest_framework.routers import DefaultRouter

from .base import register_model_route

__all__ = ["Router"]


class Router(DefaultRouter):
    """Registers each viewset's model so brief relations can link to it."""

    include_root_view = False

    def register(self, prefix, viewset, basename=None):
        super().register(prefix, viewset, basename)
        model = getattr(getattr(viewset, "queryset", None), "model", None)
        if model is not None:
            register_model_route(model, basename or self.get_default_basename(viewset))
