"""Portal pages of this app, mounted under /portal/ in the "portal" namespace."""

urlpatterns = []
