"""The API's own account endpoints: token issue and revocation, password change."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..api import serializers as s
from ..models import ApiToken
from ..services import record_login
from . import services
from .authentication import ExpiringTokenAuthentication

__all__ = ["PasswordView", "TokenView"]

Detail = inline_serializer("Detail", {"detail": serializers.CharField()})


class TokenView(APIView):
    """POST exchanges a username, password and (where two factors are required) a one-time code
    for a token; failures count toward the lockout. DELETE revokes the token it is sent with."""

    authentication_classes = [ExpiringTokenAuthentication]
    throttle_classes = []

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def perform_authentication(self, request):
        # A login must work whatever stale token the client still sends along.
        if request.method != "POST":
            super().perform_authentication(request)

    @extend_schema(request=s.TokenRequestSerializer, responses={200: s.TokenSerializer, 403: Detail})
    def post(self, request):
        form = s.TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        # The Django request, not DRF's wrapper: axes marks it locked and its middleware answers 429.
        user = authenticate(request=request._request, username=data["username"], password=data["password"])
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Unable to log in with the username and password given.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if services.otp_needed(user):
            if not services.otp_enrolled(user):
                return Response(
                    {"otp": [_("Two-factor authentication is required: enrol on the portal's security page first.")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            if not data.get("otp"):
                return Response(
                    {"otp": [_("Enter the code from your authenticator app.")]}, status=status.HTTP_400_BAD_REQUEST
                )
            if services.otp_verify(user=user, code=data["otp"], request=request._request) is None:
                return Response(
                    {"otp": [_("The code is wrong or was already used.")]}, status=status.HTTP_400_BAD_REQUEST
                )
        if services.password_expired(user):
            return Response(
                {"detail": _("Your password has expired: change it on the portal, then log in again.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        services.login_completed(user=user)
        record_login(request=request, user=user, success=True)
        key, token = services.token_issue(user=user, request=request)
        return Response({"token": key, "expires": services.token_expiry(token)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            return Response(
                {"detail": _("Send the token to revoke in the Authorization header.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.token_revoke(token=request.auth, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordView(APIView):
    """Changes the requesting user's password; every API token of the account ends with it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.PasswordChangeSerializer, responses={200: Detail})
    def post(self, request):
        form = s.PasswordChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.password_change(user=request.user, **form.validated_data)
        return Response({"detail": _("Password changed. Log in again with the new one.")})
