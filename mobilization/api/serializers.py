from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

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
from .base import BaseModelSerializer

__all__ = [
    "AuditEventSerializer",
    "ChangeSerializer",
    "ContactPointSerializer",
    "MemberUnitContactSerializer",
    "MemberUnitSerializer",
    "NotificationSerializer",
    "OfficeSerializer",
    "RegionSerializer",
    "TokenRequestSerializer",
    "UserProfileSerializer",
    "WorkstationSerializer",
]


class RegionSerializer(BaseModelSerializer):
    class Meta:
        model = Region
        fields = ["url", "display", "code", "name", "level", "parent", "created", "updated"]


class MemberUnitSerializer(BaseModelSerializer):
    class Meta:
        model = MemberUnit
        fields = [
            "id", "url", "display", "name", "credit_code", "kind", "sector", "region", "managed_by", "address",
            "created", "updated",
        ]  # fmt: skip


class MemberUnitContactSerializer(BaseModelSerializer):
    class Meta:
        model = MemberUnitContact
        fields = ["id", "url", "display", "unit", "name", "position", "phone", "email", "is_primary"]
        masked_phones = ("phone",)


class OfficeSerializer(BaseModelSerializer):
    class Meta:
        model = Office
        fields = ["id", "url", "display", "name", "level", "region", "phone", "address"]


class WorkstationSerializer(BaseModelSerializer):
    class Meta:
        model = Workstation
        fields = ["id", "url", "display", "name", "region", "office", "phone"]


class ContactPointSerializer(BaseModelSerializer):
    class Meta:
        model = ContactPoint
        fields = ["id", "url", "display", "name", "region", "workstation", "head_name", "head_title"]


class UserProfileSerializer(BaseModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = UserProfile
        fields = ["id", "url", "display", "username", "role", "region", "member_unit"]
        read_only_fields = fields


class NotificationSerializer(BaseModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "url", "display", "kind", "title", "body", "link", "created", "read_at"]
        read_only_fields = fields

    link = serializers.CharField(source="url", read_only=True)


class AuditEventSerializer(BaseModelSerializer):
    role_display = serializers.CharField(read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id", "url", "display", "created", "user", "username", "full_name", "role", "role_display", "action",
            "outcome", "ip_address", "object_type", "object_id", "object_repr", "changes", "detail", "prev_hash",
            "hash",
        ]  # fmt: skip
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"))
    password = serializers.CharField(label=_("Password"), style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        label=_("One-time code"),
        required=False,
        allow_blank=True,
        help_text=_("A code from the authenticator app, or a recovery code: required where two factors are."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField(help_text=_("When the token ends unless it is used again before."))


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(label=_("Old password"), trim_whitespace=False)
    new_password = serializers.CharField(label=_("New password"), trim_whitespace=False)


class ChangeSerializer(serializers.ModelSerializer):
    """A record change of the audit trail, in the change feed's original shape plus what changed."""

    HISTORY_TYPES = {"create": "+", "delete": "-"}

    history_id = serializers.IntegerField(source="id")
    history_date = serializers.DateTimeField(source="created")
    history_type = serializers.SerializerMethodField(help_text="+ created, ~ changed, - deleted")
    history_change_reason = serializers.SerializerMethodField()
    record_model = serializers.SerializerMethodField()
    record_id = serializers.CharField(source="object_id")
    history_user_id = serializers.IntegerField(source="user_id", allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "history_id", "history_date", "history_type", "history_change_reason", "record_model", "record_id",
            "history_user_id", "username", "full_name", "role", "action", "object_repr", "changes",
        ]  # fmt: skip
        read_only_fields = fields

    def get_history_type(self, event) -> str:
        return self.HISTORY_TYPES.get(event.action, "~")

    def get_history_change_reason(self, event) -> str | None:
        return event.detail.get("reason") if isinstance(event.detail, dict) else None

    def get_record_model(self, event) -> str:
        return event.object_type.lower()
