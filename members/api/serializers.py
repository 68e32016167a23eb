from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from mobilization.api.base import BaseModelSerializer, BriefRelatedField
from mobilization.models import MemberUnit
from teams.models import Team

from ..choices import RosterChangeActionChoices, UnavailabilityReasonChoices
from ..models import Membership, Person, Qualification, QualificationKind, RosterChange, RosterChangeItem
from ..presentation import item_diff

__all__ = [
    "MembershipSerializer",
    "PersonSerializer",
    "QualificationKindExtendSerializer",
    "QualificationKindSerializer",
    "QualificationSerializer",
    "RosterChangeDecisionSerializer",
    "RosterChangeItemInputSerializer",
    "RosterChangeItemSerializer",
    "RosterChangeSerializer",
]


class QualificationKindSerializer(BaseModelSerializer):
    class Meta:
        model = QualificationKind
        fields = ["id", "url", "display", "code", "name", "created", "updated"]


class QualificationKindExtendSerializer(serializers.Serializer):
    new_expiry = serializers.DateField(required=False, allow_null=True, label=_("new expiry"))
    months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=120, label=_("months"))
    reason = serializers.CharField(label=_("reason"))


class PersonSerializer(BaseModelSerializer):
    """A person as every role reads them: the ID number masked, phones masked unless the role needs them.

    `id_number` is write-only: it is validated, encrypted and hashed by the service."""

    id_number = serializers.CharField(write_only=True, required=False, label=_("ID number"))
    employer = BriefRelatedField(queryset=MemberUnit.objects.all())
    # Read-only, yet blank for an available person: declared so the schema says so too.
    unavailable_reason = serializers.ChoiceField(
        choices=UnavailabilityReasonChoices.choices, allow_blank=True, read_only=True, label=_("reason unavailable")
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "display",
            "name",
            "id_number",
            "id_number_masked",
            "birth_year",
            "sex",
            "phone",
            "employer",
            "specialty",
            "physical_condition",
            "political_status",
            "veteran",
            "emergency_contact_name",
            "emergency_contact_phone",
            "unavailable_until",
            "unavailable_reason",
            "unavailable_note",
            "created",
            "updated",
        ]
        # Availability changes through POST .../availability/ (audited), not a plain edit.
        read_only_fields = [
            "id_number_masked", "birth_year", "sex", "unavailable_until", "unavailable_reason", "unavailable_note",
        ]  # fmt: skip
        masked_phones = ("phone", "emergency_contact_phone")

    def validate(self, attrs):
        if self.instance is None and not attrs.get("id_number"):
            raise serializers.ValidationError({"id_number": [_("This field is required.")]})
        return attrs  # the service runs full_clean (the model's rules) with the ID number set


class MembershipSerializer(BaseModelSerializer):
    person = BriefRelatedField(queryset=Person.objects.all())
    team = BriefRelatedField(queryset=Team.objects.all())

    class Meta:
        model = Membership
        fields = ["id", "url", "display", "person", "team", "role", "joined", "left", "created", "updated"]


class QualificationSerializer(BaseModelSerializer):
    person = BriefRelatedField(queryset=Person.objects.all())
    kind = BriefRelatedField(queryset=QualificationKind.objects.all())

    class Meta:
        model = Qualification
        fields = ["id", "url", "display", "person", "kind", "number", "issued", "expires", "created", "updated"]


class RosterChangeItemInputSerializer(serializers.Serializer):
    """One proposed line, with the spreadsheet's column keys: team by id or name, person by ID number
    (or, for edits and removals, by `person` id)."""

    action = serializers.ChoiceField(choices=["add", "edit", "remove", "新增", "修改", "移出"])
    id_number = serializers.CharField(required=False, allow_blank=True)
    person = serializers.IntegerField(required=False)
    team = serializers.CharField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    employer = serializers.CharField(required=False, allow_blank=True)
    role = serializers.CharField(required=False, allow_blank=True)
    joined = serializers.CharField(required=False, allow_blank=True)
    left = serializers.CharField(required=False, allow_blank=True)
    specialty = serializers.CharField(required=False, allow_blank=True)
    physical_condition = serializers.CharField(required=False, allow_blank=True)
    political_status = serializers.CharField(required=False, allow_blank=True)
    veteran = serializers.CharField(required=False, allow_blank=True)
    emergency_contact_name = serializers.CharField(required=False, allow_blank=True)
    emergency_contact_phone = serializers.CharField(required=False, allow_blank=True)
    # A qualification added or renewed: kind by code or name, dates as 2026-01-31.
    qualification_kind = serializers.CharField(required=False, allow_blank=True)
    qualification_number = serializers.CharField(required=False, allow_blank=True)
    qualification_issued = serializers.CharField(required=False, allow_blank=True)
    qualification_expires = serializers.CharField(required=False, allow_blank=True)


class RosterChangeSerializer(BaseModelSerializer):
    """A change request: created with `items` (validated whole by the service); read with the count of
    its items per action and `items_url`, the paged list of its items with their readable diff (a
    change may hold 20,000 rows: embedded, they would make every list page and answer megabytes)."""

    unit = BriefRelatedField(queryset=MemberUnit.objects.all(), required=False)
    submitted_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()
    items = RosterChangeItemInputSerializer(many=True, write_only=True, required=False)
    item_counts = serializers.SerializerMethodField()
    items_url = serializers.SerializerMethodField()

    class Meta:
        model = RosterChange
        fields = [
            "id",
            "url",
            "display",
            "unit",
            "submitted_by",
            "source",
            "file_name",
            "note",
            "status",
            "decided_by",
            "decided_at",
            "reason",
            "items",
            "item_counts",
            "items_url",
            "created",
            "updated",
        ]
        read_only_fields = ["source", "file_name", "status", "decided_at", "reason"]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("items"):
            raise serializers.ValidationError({"items": [_("A change needs at least one item.")]})
        if self.instance is not None and set(attrs) - {"note"}:
            raise serializers.ValidationError({"detail": [_("Only the note of a request can be changed.")]})
        return attrs

    @extend_schema_field(
        {
            "type": "object",
            "properties": {k: {"type": "integer"} for k in (*RosterChangeActionChoices.values, "total")},
            "required": [*RosterChangeActionChoices.values, "total"],
        }
    )
    def get_item_counts(self, obj):
        actions = RosterChangeActionChoices.values
        if all(hasattr(obj, f"items_{action}") for action in actions):  # annotated by the list's queryset
            counts = {action: getattr(obj, f"items_{action}") for action in actions}
        else:  # a single change just written: one aggregate query
            found = dict(obj.items.values_list("action").annotate(n=Count("id")).order_by())
            counts = {action: found.get(action, 0) for action in actions}
        return {**counts, "total": sum(counts.values())}

    def get_items_url(self, obj) -> str:
        url = reverse("api:rosterchangeitem-list", request=self.context.get("request"))
        return f"{url}?change={obj.pk}"


class RosterUploadSerializer(serializers.Serializer):
    """A roster file to import; office staff, who belong to no member unit, name the `unit` the
    change is for (one they may see), as they do in the admin's import."""

    file = serializers.FileField()
    unit = BriefRelatedField(queryset=MemberUnit.objects.all(), required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class RosterChangeDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, label=_("reason"))


class RosterChangeItemSerializer(BaseModelSerializer):
    change = BriefRelatedField(read_only=True)
    person = BriefRelatedField(read_only=True)
    team = BriefRelatedField(read_only=True)
    diff = serializers.SerializerMethodField()

    class Meta:
        model = RosterChangeItem
        fields = ["id", "url", "display", "change", "row", "action", "person", "team", "id_number_masked", "diff"]

    def get_diff(self, obj) -> dict:
        return item_diff(obj, getattr(self.context.get("request"), "user", None))


class AvailabilitySerializer(serializers.Serializer):
    """`available: true`, or `available: false` with `until` (a date) and `reason`."""

    available = serializers.BooleanField()
    until = serializers.DateField(required=False, allow_null=True)
    reason = serializers.ChoiceField(choices=UnavailabilityReasonChoices.choices, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)
