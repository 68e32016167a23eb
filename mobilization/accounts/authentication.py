"""DRF authentication by our expiring API tokens (`Authorization: Token <key>`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from . import services

__all__ = ["ExpiringTokenAuthentication"]


class ExpiringTokenAuthentication(TokenAuthentication):
    """A token answers 401 once revoked, idle too long or too old; `request.auth` is the token."""

    def authenticate_credentials(self, key):
        token = services.token_authenticate(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid or expired token: log in again."))
        return token.user, token
