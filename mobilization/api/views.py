from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import filtersets, selectors, services
from ..models import (
    AuditEvent,
    ContactPoint,
    MemberUnit,
    MemberUnitContact,
    Notification,
    Office,
    Region,
    UserProfile,
    Workstation,
)
from ..roles import may_read_audit_trail
from . import serializers as s
from .base import BaseViewSet


class TokenView(APIView):
    """Exchange a username and password for an API token. Failures count toward the lockout."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    )
    def post(self, request):
        form = s.TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: axes marks it locked and its middleware answers 429.
        user = authenticate(request=request._request, **form.validated_data)
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Unable to log in with the username and password given.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.record_login(request=request, user=user, success=True)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class RegionViewSet(BaseViewSet):
    queryset = Region.objects.all()
    serializer_class = s.RegionSerializer
    filterset_class = filtersets.RegionFilterSet


class MemberUnitViewSet(BaseViewSet):
    queryset = MemberUnit.objects.all()
    serializer_class = s.MemberUnitSerializer
    filterset_class = filtersets.MemberUnitFilterSet


class MemberUnitContactViewSet(BaseViewSet):
    queryset = MemberUnitContact.objects.all()
    serializer_class = s.MemberUnitContactSerializer
    filterset_class = filtersets.MemberUnitContactFilterSet


class OfficeViewSet(BaseViewSet):
    queryset = Office.objects.all()
    serializer_class = s.OfficeSerializer
    filterset_class = filtersets.OfficeFilterSet


class WorkstationViewSet(BaseViewSet):
    queryset = Workstation.objects.all()
    serializer_class = s.WorkstationSerializer
    filterset_class = filtersets.WorkstationFilterSet


class ContactPointViewSet(BaseViewSet):
    queryset = ContactPoint.objects.all()
    serializer_class = s.ContactPointSerializer
    filterset_class = filtersets.ContactPointFilterSet


class UserProfileViewSet(BaseViewSet):
    http_method_names = ["get", "head", "options"]
    queryset = UserProfile.objects.all()
    serializer_class = s.UserProfileSerializer
    filterset_class = filtersets.UserProfileFilterSet
    select_related = ("user",)


class NotificationViewSet(BaseViewSet):
    """The requesting user's own notifications; reading one marks nothing, `read` does."""

    http_method_names = ["get", "head", "options", "post"]
    queryset = Notification.objects.all()
    serializer_class = s.NotificationSerializer
    filterset_class = filtersets.NotificationFilterSet
    action_permissions = {
        "read": ["mobilization.change_notification"],
        "read_all": ["mobilization.change_notification"],
    }

    def create(self, request, *args, **kwargs):
        return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = self.get_object()
        services.notification_mark_read(user=request.user, ids=[note.pk])
        note.refresh_from_db()
        return Response(self.get_serializer(note).data)

    @extend_schema(request=None, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_read(user=request.user)})


class AuditEventViewSet(BaseViewSet):
    http_method_names = ["get", "head", "options"]
    queryset = AuditEvent.objects.all()
    serializer_class = s.AuditEventSerializer
    filterset_class = filtersets.AuditEventFilterSet


class ChangeLogView(ListAPIView):
    """Who changed what and when, across every record with history: the auditor's change log.
    Filters: `model` (app label and model name, e.g. mobilization.memberunit), `user` (id), `since` /
    `until` (ISO date-times)."""

    serializer_class = s.ChangeSerializer
    filter_backends = []

    def get_permissions(self):
        return [IsAuthenticated(), HasAuditPermission()]

    def get_queryset(self):
        params = self.request.query_params
        model = params.get("model")
        if model and model not in selectors.historical_models():
            raise ValidationError({"model": [_("Unknown model %(model)s.") % {"model": model}]})
        return selectors.change_log(
            model=model, user_id=params.get("user"), since=params.get("since"), until=params.get("until")
        )


class HasAuditPermission(BasePermission):
    def has_permission(self, request, view):
        return may_read_audit_trail(request.user)
