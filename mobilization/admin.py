from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .admin_base import ScopedAdmin, ScopedInline
from .models import (
    ContactPoint,
    MemberUnit,
    MemberUnitContact,
    Notification,
    Office,
    Region,
    UserProfile,
    Workstation,
)

admin.site.site_header = _("National Defense Mobilization Office")
admin.site.site_title = _("Mobilization office administration")
admin.site.index_title = _("Administration")


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


class MemberUnitContactInline(ScopedInline):
    model = MemberUnitContact


@admin.register(MemberUnit)
class MemberUnitAdmin(ScopedAdmin):
    list_display = ["name", "credit_code", "kind", "sector", "region", "managed_by"]
    list_filter = ["kind", "sector"]
    list_select_related = ["region", "managed_by"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region", "managed_by"]
    inlines = [MemberUnitContactInline]


@admin.register(MemberUnitContact)
class MemberUnitContactAdmin(ScopedAdmin):
    list_display = ["name", "unit", "position", "phone", "is_primary"]
    list_filter = ["is_primary"]
    list_select_related = ["unit"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    list_display = ["name", "level", "region", "phone"]
    list_filter = ["level"]
    list_select_related = ["region"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


@admin.register(Workstation)
class WorkstationAdmin(ScopedAdmin):
    list_display = ["name", "region", "office", "phone"]
    list_select_related = ["region", "office"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "office"]


@admin.register(ContactPoint)
class ContactPointAdmin(ScopedAdmin):
    list_display = ["name", "region", "workstation"]
    list_select_related = ["region", "workstation"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "workstation"]


@admin.register(UserProfile)
class UserProfileAdmin(ScopedAdmin):
    list_display = ["user", "role", "region", "member_unit", "phone"]
    list_filter = ["role"]
    list_select_related = ["user", "region", "member_unit"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    autocomplete_fields = ["user", "region", "member_unit"]


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin):
    list_display = ["title", "kind", "created", "read_at"]
    list_select_related = ["recipient"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


from .audit import admin as audit_admin  # noqa: E402, F401  (registers the audit trail)
