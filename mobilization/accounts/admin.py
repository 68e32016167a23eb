"""The security administrator's admin pages: current lockouts (unlock), enrolled second
factors (reset) and live API tokens (revoke). Both replace the admin pages axes and django-otp would register: theirs
show secrets (a device's key, its QR code) and change things without an audit event."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import ApiToken
from ..roles import may_manage_accounts
from . import services

for model in (TOTPDevice, StaticDevice, AccessAttempt):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows shown for an action on them; nothing is added or edited here."""

    allowed = staticmethod(lambda user: False)

    def has_module_permission(self, request):
        return self.allowed(request.user)

    def has_view_permission(self, request, obj=None):
        return self.allowed(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessAttempt)
class LockoutAdmin(ReadOnlyAdmin):
    """Failed logins within the cool-off time, and whether each username or address is locked."""

    allowed = staticmethod(may_manage_accounts)
    search_fields = ["username", "ip_address"]
    fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time"]
    actions = ["unlock_usernames", "unlock_addresses"]
    ordering = ["-attempt_time"]

    def get_queryset(self, request):
        """The failures behind a lockout running now (by their username or by their address)."""
        locked = services.lockouts_current()
        usernames = [value for field, value in locked if field == "username"]
        addresses = [value for field, value in locked if field == "ip_address"]
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        return (
            super()
            .get_queryset(request)
            .filter(Q(username__in=usernames) | Q(ip_address__in=addresses), attempt_time__gte=since)
        )

    def get_list_display(self, request):
        # Decided per request (the admin object is shared between threads): one query for all rows.
        locked = services.lockouts_current()

        @admin.display(description=_("locked until"))
        def locked_until(obj):
            ends = [locked.get(("username", obj.username)), locked.get(("ip_address", obj.ip_address))]
            ends = [end for end in ends if end is not None]
            return timezone.localtime(max(ends)).strftime("%H:%M") if ends else "-"

        @admin.display(description=_("locked"))
        def locks(obj):
            which = []
            if ("username", obj.username) in locked:
                which.append(str(_("username")))
            if ("ip_address", obj.ip_address) in locked:
                which.append(str(_("address")))
            return ", ".join(which)

        return ["username", "ip_address", "failures_since_start", "attempt_time", locks, locked_until]

    def has_unlock_permission(self, request):
        return may_manage_accounts(request.user)

    @admin.action(description=_("Unlock the selected usernames (from every address)"), permissions=["unlock"])
    def unlock_usernames(self, request, queryset):
        self._unlock(request, usernames=queryset.values_list("username", flat=True))

    @admin.action(description=_("Unlock the selected addresses (for every username)"), permissions=["unlock"])
    def unlock_addresses(self, request, queryset):
        self._unlock(request, ip_addresses=queryset.values_list("ip_address", flat=True))

    def _unlock(self, request, **which):
        released = services.lockout_release(request=request, **{k: list(v) for k, v in which.items()})
        self.message_user(
            request,
            ngettext("%(n)d failed login cleared.", "%(n)d failed logins cleared.", released) % {"n": released},
            messages.SUCCESS,
        )


class ConfirmedFilter(admin.BooleanFieldListFilter):
    """django-otp's `confirmed` has no verbose name: the filter is titled here, translatably."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("confirmed")


@admin.register(TOTPDevice)
class TwoFactorAdmin(ReadOnlyAdmin):
    """Who has enrolled an authenticator app; a reset makes the user enrol again (lost phone)."""

    allowed = staticmethod(may_manage_accounts)
    # django-otp's fields carry English names and help texts: each is shown through a column of
    # ours, named translatably.
    list_display = ["device_user", "device_name", "is_confirmed", "created", "last_used"]
    list_filter = [("confirmed", ConfirmedFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    fields = [*list_display]  # never the key
    readonly_fields = fields

    @admin.display(description=_("user"), ordering="user")
    def device_user(self, device):
        return device.user

    @admin.display(description=_("name"), ordering="name")
    def device_name(self, device):
        return device.name

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
    def is_confirmed(self, device):
        return device.confirmed

    # A read-only column of ours is shown as text: its time formatted here, as the list formats it.
    @admin.display(description=_("created"), ordering="created_at")
    def created(self, device):
        return display_for_value(device.created_at, self.get_empty_value_display())

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, device):
        return display_for_value(device.last_used_at, self.get_empty_value_display())

    actions = ["reset_two_factor"]

    def has_reset_permission(self, request):
        return may_manage_accounts(request.user)

    @admin.action(description=_("Reset two-factor authentication of the selected users"), permissions=["reset"])
    def reset_two_factor(self, request, queryset):
        users = {device.user for device in queryset.select_related("user")}
        for user in sorted(users, key=lambda u: u.pk):
            services.otp_reset(user=user, request=request)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(n)d user: they enrol again at their next login.",
                "Two-factor authentication reset for %(n)d users: they enrol again at their next login.",
                len(users),
            )
            % {"n": len(users)},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Live API logins (never their keys); revoking one ends it at once."""

    allowed = staticmethod(may_manage_accounts)
    list_display = ["user", "created", "last_used", "expires"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["user", "created", "last_used", "expires"]
    actions = ["revoke"]

    def has_revoke_permission(self, request):
        return may_manage_accounts(request.user)

    @admin.action(description=_("Revoke the selected API tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        tokens = list(queryset.select_related("user"))
        for token in tokens:
            services.token_revoke(token=token, request=request)
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", len(tokens)) % {"n": len(tokens)},
            messages.SUCCESS,
        )
