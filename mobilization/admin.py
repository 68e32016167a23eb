from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
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
from .presentation import group_display
from .roles import may_change_account, may_grant_privileges, may_manage_accounts

admin.site.unregister(get_user_model())

admin.site.site_header = _("National Defense Mobilization Office")
admin.site.site_title = _("Mobilization office administration")
admin.site.index_title = _("Administration")
# At a 1366-pixel desk the navigation sidebar took 300 pixels from every list, hiding columns of
# the widest (teams): the index and the breadcrumbs lead everywhere it did.
admin.site.enable_nav_sidebar = False


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


class MemberUnitContactInline(ScopedInline):
    model = MemberUnitContact
    masked_phones = ("phone",)


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
    masked_phones = ("phone",)
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
    list_display = ["name", "region", "office", "phone", "director"]
    list_select_related = ["region", "office", "director"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "office"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "director":
            # Only the workstation directors the user may see: their profiles are scoped by region.
            from .choices import RoleChoices

            profiles = UserProfile.objects.visible_to(request.user).filter(role=RoleChoices.STATION_DIRECTOR)
            kwargs["queryset"] = get_user_model().objects.filter(pk__in=profiles.values("user_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ContactPoint)
class ContactPointAdmin(ScopedAdmin):
    list_display = ["name", "region", "workstation", "head_name", "head_title"]
    list_select_related = ["region", "workstation"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "workstation"]


@admin.register(UserProfile)
class UserProfileAdmin(ScopedAdmin):
    """Roles are assigned here, by the security administrator; office staff read their region's."""

    list_display = ["user", "role", "region", "member_unit", "phone"]
    masked_phones = ("phone",)
    list_filter = ["role"]
    list_select_related = ["user", "region", "member_unit"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    autocomplete_fields = ["user", "region", "member_unit"]

    def get_autocomplete_fields(self, request):
        # The security administrator reads no member unit as a record (its contacts are personal
        # data): a liaison's unit is picked by name from a plain list instead.
        if not request.user.has_perm("mobilization.view_memberunit"):
            return ["user", "region"]
        return self.autocomplete_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "member_unit" and may_manage_accounts(request.user):
            kwargs["queryset"] = MemberUnit.objects.only("pk", "name").order_by("name")
            return db_field.formfield(**kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.user_profile_save(profile=obj, by=request.user)


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    """Accounts, kept by the security administrator. Nobody but a superuser makes or changes a
    superuser, or hands out permissions outside the role groups: a role is assigned on the profile."""

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj)]
        if not may_grant_privileges(request.user):
            fields += ["is_superuser", "is_staff", "groups", "user_permissions", "last_login", "date_joined"]
        return fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or may_change_account(request.user, obj))


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The role groups, read by the security administrator: a group by its role's label (its name
    is the role's code), its permissions in words (`presentation.permission_display`)."""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return ["role" if field == "name" else field for field in fields]
        return fields

    @admin.display(description=_("role"))
    def role(self, group):
        return group_display(group)


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin):
    list_display = ["title", "kind", "created", "read_at"]
    list_select_related = ["recipient"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body"]
    # The key (what makes a notification sent once) is the system's, not its reader's; the link
    # is shown as one.
    fields = [
        "recipient", "kind", "title", "body", "link", "created", "read_at",
        "send_email", "send_sms", "email_sent_at", "sms_sent_at",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("link"))
    def link(self, notification):
        if not notification.url:
            return "—"
        return format_html('<a href="{}">{}</a>', notification.url, _("Open the page"))

    def has_add_permission(self, request):
        return False


from .accounts import admin as accounts_admin  # noqa: E402, F401  (lockouts, second factors, tokens)
from .audit import admin as audit_admin  # noqa: E402, F401  (registers the audit trail)
