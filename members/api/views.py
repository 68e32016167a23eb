from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, ProtectedError, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from mobilization.api.base import BaseViewSet

from .. import filtersets, rosterfile, services
from ..choices import RosterChangeActionChoices, RosterChangeSourceChoices
from ..models import Membership, Person, Qualification, QualificationKind, RosterChange, RosterChangeItem
from . import serializers as s

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS = inline_serializer(
    "RosterErrors",
    {
        "errors": serializers.ListField(
            child=inline_serializer(
                "RosterError",
                {
                    "row": serializers.IntegerField(),
                    "column": serializers.CharField(),
                    "message": serializers.CharField(),
                },
            )
        )
    },
)


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _protected_delete(instance):
    try:
        instance.delete()
    except ProtectedError as exc:
        raise ValidationError(
            {"detail": [_("This record is referred to by the roster's history; end it instead of deleting it.")]}
        ) from exc


class QualificationKindViewSet(BaseViewSet):
    queryset = QualificationKind.objects.all()
    serializer_class = s.QualificationKindSerializer
    filterset_class = filtersets.QualificationKindFilterSet
    action_permissions = {"extend": ["members.change_qualification"]}

    def perform_destroy(self, instance):
        _protected_delete(instance)

    @extend_schema(
        request=s.QualificationKindExtendSerializer,
        responses=inline_serializer("Extended", {"extended": serializers.IntegerField()}),
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Extend every still-valid qualification of this kind in the user's scope (audited)."""
        kind = self.get_object()
        body = s.QualificationKindExtendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        count = services.qualification_kind_extend(kind=kind, by=request.user, request=request, **body.validated_data)
        return Response({"extended": count})


class PersonViewSet(BaseViewSet):
    """Persons on the roster. ID numbers are masked; `reveal` returns one in full (audited);
    `?id_number=` finds a person by the full number through its keyed hash."""

    queryset = Person.objects.all()
    serializer_class = s.PersonSerializer
    filterset_class = filtersets.PersonFilterSet
    action_permissions = {
        "reveal": ["members.reveal_id_number"],
        "export": ["members.view_person"],
        "availability": ["members.set_availability_person"],
    }

    def create_object(self, serializer):
        serializer.instance = services.person_create(by=self.request.user, **serializer.validated_data)
        return serializer.instance

    def update_object(self, serializer):
        return services.person_update(person=serializer.instance, by=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        _protected_delete(instance)

    @extend_schema(request=None, responses=inline_serializer("Revealed", {"id_number": serializers.CharField()}))
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        person = self.get_object()
        return Response(
            {"id_number": services.person_reveal_id_number(person=person, by=request.user, request=request)}
        )

    @extend_schema(request=s.AvailabilitySerializer, responses=s.PersonSerializer)
    @action(detail=True, methods=["post"])
    def availability(self, request, pk=None):
        """Mark the person available, or unavailable until a date for a reason (audited)."""
        person = self.get_object()
        form = s.AvailabilitySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        person = services.person_set_availability(
            person=person, by=request.user, request=request, **form.validated_data
        )
        return Response(self.get_serializer(person).data)

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The (filtered) roster in the user's scope as .xlsx; audited."""
        content = services.roster_export_workbook(
            by=request.user, request=request, queryset=self.filter_queryset(self.get_queryset())
        )
        return xlsx_response(content, f"roster-{timezone.localdate():%Y%m%d}.xlsx")


class MembershipViewSet(BaseViewSet):
    queryset = Membership.objects.all()
    serializer_class = s.MembershipSerializer
    filterset_class = filtersets.MembershipFilterSet


class QualificationViewSet(BaseViewSet):
    queryset = Qualification.objects.all()
    serializer_class = s.QualificationSerializer
    filterset_class = filtersets.QualificationFilterSet


def _rows_invalid(exc):
    return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)


class RosterChangeViewSet(BaseViewSet):
    """Roster change requests. A unit proposes (`POST` with items, or `import` a spreadsheet);
    office staff `approve` or `reject`; the submitter may `withdraw` while pending.
    Bad rows answer 400 `{"errors": [{"row", "column", "message"}]}` and nothing is saved."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = RosterChange.objects.all()
    serializer_class = s.RosterChangeSerializer
    filterset_class = filtersets.RosterChangeFilterSet
    select_related = ("submitted_by", "decided_by")
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_permissions = {
        "approve": ["members.decide_rosterchange"],
        "reject": ["members.decide_rosterchange"],
        "withdraw": ["members.add_rosterchange"],
        "import_file": ["members.add_rosterchange"],
        "template": ["members.view_rosterchange"],
    }

    def get_queryset(self):
        # The items are counted per action in the list's one query; their diff is paged at `items_url`.
        counts = {f"items_{a}": Count("items", filter=Q(items__action=a)) for a in RosterChangeActionChoices.values}
        return super().get_queryset().annotate(**counts)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rows = [(n, {k: str(v) for k, v in item.items()}) for n, item in enumerate(data["items"], start=1)]
        try:
            change = services.roster_change_submit(
                by=request.user,
                rows=rows,
                source=RosterChangeSourceChoices.API,
                unit=data.get("unit"),
                note=data.get("note", ""),
            )
        except services.RosterRowsInvalid as exc:
            return _rows_invalid(exc)
        self.ensure_editable(change)
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data, status=status.HTTP_201_CREATED)

    def update_object(self, serializer):
        if not serializer.instance.is_pending:
            raise DjangoValidationError(_("This request has already been decided."))
        return serializer.save()

    @extend_schema(
        request={"multipart/form-data": s.RosterUploadSerializer},
        responses={201: s.RosterChangeSerializer, 400: ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request):
        """A roster spreadsheet (.xlsx or .csv from the template) becomes one pending request."""
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"errors": [{"row": 0, "column": "file", "message": _("Choose a file.")}]}, status=400)
        body = s.RosterUploadSerializer(data=request.data, context=self.get_serializer_context())
        if not body.is_valid():
            errors = [{"row": 0, "column": key, "message": str(m)} for key, ms in body.errors.items() for m in ms]
            return Response({"errors": errors}, status=400)
        try:
            change = services.roster_change_import(
                by=request.user,
                upload=upload,
                unit=body.validated_data.get("unit"),
                note=body.validated_data.get("note", ""),
            )
        except rosterfile.UploadRefused as exc:
            return Response({"errors": [{"row": 0, "column": "file", "message": str(exc)}]}, status=400)
        except services.RosterRowsInvalid as exc:
            return _rows_invalid(exc)
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=False, methods=["get"])
    def template(self, request):
        return xlsx_response(rosterfile.workbook_bytes(rosterfile.template_workbook()), "roster-template.xlsx")

    def _decide(self, service, **extra):
        request = self.request
        change = self.get_object()
        body = s.RosterChangeDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            service(change=change, by=request.user, **extra, **body.validated_data)
        except services.RosterChanged as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data)

    @extend_schema(request=s.RosterChangeDecisionSerializer, responses={200: s.RosterChangeSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Apply the whole request in one transaction; 409 if the roster changed since it was made."""
        return self._decide(services.roster_change_approve, request=request)

    @extend_schema(request=s.RosterChangeDecisionSerializer, responses={200: s.RosterChangeSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(services.roster_change_reject)

    @extend_schema(request=None, responses={200: s.RosterChangeSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        change = self.get_object()
        services.roster_change_withdraw(change=change, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data)


class RosterChangeItemViewSet(BaseViewSet):
    """The items of change requests, read-only (they are written by submitting a request)."""

    http_method_names = ["get", "head", "options"]
    queryset = RosterChangeItem.objects.all()
    serializer_class = s.RosterChangeItemSerializer
    select_related = ("change__unit",)
    filterset_class = None
    filterset_fields = ["change", "action"]


__all__ = [
    "MembershipViewSet",
    "PersonViewSet",
    "QualificationKindViewSet",
    "QualificationViewSet",
    "RosterChangeItemViewSet",
    "RosterChangeViewSet",
]
