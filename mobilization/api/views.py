from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from .. import filtersets, selectors, services
from ..audit.export import audit_export_workbook
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

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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

    @extend_schema(exclude=True)  # notifications are made by the system, never posted
    def create(self, request, *args, **kwargs):
        raise MethodNotAllowed(request.method)

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
    """The audit trail, read-only for everyone (superusers included): writes answer 405."""

    http_method_names = ["get", "head", "options"]
    queryset = AuditEvent.objects.all()
    serializer_class = s.AuditEventSerializer
    filterset_class = filtersets.AuditEventFilterSet

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The filtered events as an .xlsx workbook (no formulas); the export is itself audited."""
        content = audit_export_workbook(
            by=request.user,
            queryset=self.filter_queryset(self.get_queryset()),
            request=request,
            filters=dict(request.query_params.items()),
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"'
        return response


class ChangeLogView(ListAPIView):
    """Who changed what and when, with the fields changed: the record changes of the audit trail.
    Filters: `model` (e.g. teams.team), `user` (id), `since` / `until` (ISO date-times)."""

    serializer_class = s.ChangeSerializer
    filter_backends = []

    def get_permissions(self):
        return [IsAuthenticated(), HasAuditPermission()]

    def get_queryset(self):
        params = self.request.query_params
        model = params.get("model")
        if model and selectors.known_model(model) is None:
            raise ValidationError({"model": [_("Unknown model %(model)s.") % {"model": model}]})
        since, until = params.get("since"), params.get("until")
        for name, value in (("since", since), ("until", until)):
            if value and parse_datetime(value) is None:
                raise ValidationError({name: [_("Give a date and time such as 2026-01-31T08:00:00+08:00.")]})
        return selectors.change_log(
            user=self.request.user,
            model=model,
            user_id=params.get("user"),
            since=parse_datetime(since) if since else None,
            until=parse_datetime(until) if until else None,
        )


class HasAuditPermission(BasePermission):
    def has_permission(self, request, view):
        return may_read_audit_trail(request.user)
