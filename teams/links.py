"""The personal call-out link `/r/<token>/`: a random code naming one call, and a signature over
it (HMAC with the site's secret), so a guessed or altered token is refused before any lookup."""

import base64
import hmac
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

__all__ = ["callout_link", "link_code", "new_code", "token_for"]

SALT = "teams.callout-link"
CODE_LENGTH = 8
SIGNATURE_LENGTH = 8


def new_code() -> str:
    return secrets.token_urlsafe(6)  # 8 characters of 48 random bits


def _signature(code: str) -> str:
    digest = salted_hmac(SALT, code, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIGNATURE_LENGTH]


def token_for(code: str) -> str:
    return code + _signature(code)


def link_code(token: str) -> str | None:
    """The call's code if `token` carries a valid signature, else None."""
    if not isinstance(token, str) or len(token) != CODE_LENGTH + SIGNATURE_LENGTH:
        return None
    code, signature = token[:CODE_LENGTH], token[CODE_LENGTH:]
    return code if hmac.compare_digest(signature, _signature(code)) else None


def callout_link(code: str) -> str:
    """The absolute link sent by SMS (PUBLIC_BASE_URL names the site as phones reach it)."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("callout-respond", args=[token_for(code)])
