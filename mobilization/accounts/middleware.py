"""Sends a session that still owes a second factor or a new password to the page that settles it."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

__all__ = ["SESSION_OTP_PENDING", "SESSION_PASSWORD_EXPIRED", "AccountPolicyMiddleware"]

SESSION_OTP_PENDING = "accounts_otp_pending"
SESSION_PASSWORD_EXPIRED = "accounts_password_expired"
# Reachable while something is owed: what settles it, logging out, languages and assets.
OPEN_PREFIXES = (
    "/portal/otp/",
    "/portal/password/",
    "/portal/logout/",
    "/admin/password_change/",
    "/admin/logout/",
    "/admin/jsi18n/",
    "/api/v1/auth/",
    "/i18n/",
    "/static/",
    "/healthz",
)


class AccountPolicyMiddleware:
    """The flags are set at login (mobilization.accounts.receivers), so a session that owes
    nothing costs no query here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            answer = self._owed(request, user)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _owed(self, request, user):
        from . import services

        session = request.session
        if session.get(SESSION_OTP_PENDING):
            if user.is_verified():
                session.pop(SESSION_OTP_PENDING)
            else:
                return self._send(request, "portal:otp-verify", _("Give your second factor first."))
        if session.get(SESSION_PASSWORD_EXPIRED):
            if services.password_expired(user):
                target = "admin:password_change" if request.path.startswith("/admin/") else "portal:password"
                return self._send(request, target, _("Your password has expired: change it first."))
            session.pop(SESSION_PASSWORD_EXPIRED)
        return None

    def _send(self, request, url_name, message):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")
