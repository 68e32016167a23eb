"""Account rules: API tokens, passwords, second factors and lockouts.

The admin, the API, the portal, `seed_demo` and the signal receivers all call these; each
state change leaves an audit event."""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..choices import AuditActionChoices
from ..models import ApiToken, PasswordRecord
from ..roles import requires_two_factor
from ..services import audit_record

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from django.contrib.auth.models import User
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django_otp.models import Device

__all__ = [
    "lockout_ends",
    "lockout_release",
    "lockout_minutes_left",
    "lockout_tripped",
    "lockouts_current",
    "login_completed",
    "login_succeeded",
    "otp_enrol_confirm",
    "otp_enrol_secret",
    "otp_enrol_start",
    "otp_enrolled",
    "otp_needed",
    "otp_reset",
    "otp_verify",
    "password_change",
    "password_expired",
    "password_recorded",
    "token_authenticate",
    "token_expiry",
    "token_issue",
    "token_revoke",
    "token_revoke_all",
]

# The last_used stamp is written at most this often: one UPDATE a minute per busy token, not one
# per request; the idle limit is then exact to within this much.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def _current_request() -> HttpRequest | None:
    """The request being served, when a password is changed deep inside Django's own forms
    (admin, management commands have none): simple_history's middleware keeps it per thread."""
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


# --- API tokens ---------------------------------------------------------------------------


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_expiry(token: ApiToken) -> datetime:
    """When `token` stops working if it is not used again: idle limit or absolute limit."""
    return min(token.last_used + timedelta(minutes=settings.TOKEN_IDLE_MINUTES), token.expires)


def token_issue(*, user: User, request: HttpRequest | None = None) -> tuple[str, ApiToken]:
    """A new token for one login; returns (raw key, token). Only the key's digest is stored."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        digest=_digest(key),
        created=now,
        last_used=now,
        expires=now + timedelta(hours=settings.TOKEN_MAX_HOURS),
    )
    audit_record(action=AuditActionChoices.TOKEN_ISSUED, request=request, user=user, obj=token)
    return key, token


def token_authenticate(key: str, *, now: datetime | None = None) -> ApiToken | None:
    """The live token for `key`, or None. An expired token is removed on sight."""
    now = now or timezone.now()
    # The user, their profile and its member unit in the same query: scoping needs the profile
    # on every request, and would otherwise look it up on its own.
    token = ApiToken.objects.select_related("user", "user__profile__member_unit").filter(digest=_digest(key)).first()
    if token is None:
        return None
    if now >= token_expiry(token) or not token.user.is_active:
        token.delete()
        return None
    try:
        token.user._scoping_profile = token.user.profile  # read by mobilization.querysets.user_profile
    except ObjectDoesNotExist:
        pass  # no profile yet: scoping looks for it again next time
    if now - token.last_used >= TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return token


def token_revoke(*, token: ApiToken, request: HttpRequest | None = None) -> None:
    audit_record(action=AuditActionChoices.TOKEN_REVOKED, request=request, user=token.user, obj=token)
    token.delete()


def token_revoke_all(*, user: User, reason: str, request: HttpRequest | None = None) -> int:
    """Ends every API login of `user` at once (password change, lockout, deactivation)."""
    count, _deleted = ApiToken.objects.filter(user=user).delete()
    if count:
        audit_record(
            action=AuditActionChoices.TOKEN_REVOKED,
            request=request,
            user=user,
            obj=user,
            detail={"count": count, "reason": reason},
        )
    return count


# --- passwords ----------------------------------------------------------------------------


def password_recorded(*, user: User, keep: int = 5) -> None:
    """After a password was saved: keep its hash for the history, end every API login made with
    the old one, and audit the change. Called by the history validator, whatever path changed it."""
    with transaction.atomic():
        PasswordRecord.objects.create(user=user, password=user.password)
        stale = PasswordRecord.objects.filter(user=user).values_list("pk", flat=True)[keep:]
        PasswordRecord.objects.filter(pk__in=list(stale)).delete()
    request = _current_request()
    token_revoke_all(user=user, reason="password_changed", request=request)
    actor = getattr(request, "user", None)
    audit_record(
        action=AuditActionChoices.PASSWORD_CHANGED,
        request=request,
        user=actor if actor is not None and actor.is_authenticated else user,
        obj=user,
    )


def password_expired(user: User) -> bool:
    """Whether the user's password is older than PASSWORD_MAX_AGE_DAYS (0 turns expiry off)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return False
    set_at = PasswordRecord.objects.filter(user=user).values_list("created", flat=True).first()
    return (set_at or user.date_joined) < timezone.now() - timedelta(days=days)


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """A user changes their own password. Raises ValidationError keyed by field."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": [_("Your old password was entered incorrectly.")]})
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


# --- second factor ------------------------------------------------------------------------


def otp_needed(user: User) -> bool:
    """Whether this user must give a second factor: enrolled, or of a role that requires it."""
    return (settings.OTP_REQUIRED and requires_two_factor(user)) or user_has_device(user, confirmed=True)


def otp_enrolled(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def otp_enrol_start(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device the enrolment page shows (one, kept across reloads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def otp_enrol_confirm(
    *, user: User, device: TOTPDevice, code: str, request: HttpRequest | None = None
) -> list[str] | None:
    """Confirms `device` with a code from the app; returns the new recovery codes, or None
    when the code is wrong. Enrolling again replaces the previous app and recovery codes."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    audit_record(action=AuditActionChoices.OTP_ENROLLED, request=request, user=user, obj=user)
    return codes


def otp_verify(*, user: User, code: str, request: HttpRequest | None = None) -> Device | None:
    """The device that accepts `code` (an app code or a recovery code, each used once), or None.
    A wrong code counts toward the lockout like a wrong password."""
    code = (code or "").strip().replace(" ", "").lower()
    device = None
    if code:
        with transaction.atomic():
            for candidate in devices_for_user(user, confirmed=True, for_verify=True):
                if candidate.verify_token(code):
                    device = candidate
                    break
    if device is None:
        if request is not None:
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
        return None
    if isinstance(device, StaticDevice):
        audit_record(
            action=AuditActionChoices.OTP_RECOVERY_USED,
            request=request,
            user=user,
            obj=user,
            detail={"remaining": device.token_set.count()},
        )
    return device


@transaction.atomic
def otp_reset(*, user: User, request: HttpRequest | None = None) -> int:
    """Removes the user's second factor (a lost phone): they enrol again at their next login."""
    removed = sum(model.objects.filter(user=user).delete()[0] for model in (TOTPDevice, StaticDevice))
    audit_record(action=AuditActionChoices.OTP_RESET, request=request, obj=user, detail={"devices": removed})
    return removed


def otp_enrol_secret(*, user: User, secret: str) -> User:
    """Gives `user` a confirmed TOTP device with this base32 secret (the demo's shared phone app).
    Idempotent: a second call with the same secret changes nothing."""
    try:
        key = base64.b32decode(secret.strip().upper() + "=" * (-len(secret.strip()) % 8)).hex()
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({"otp_secret": [_("Not a base32 secret.")]}) from exc
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        TOTPDevice.objects.create(user=user, name=_("Authenticator app"), key=key, confirmed=True)
    elif device.key != key:
        device.key = key
        device.last_t = -1
        device.save(update_fields=["key", "last_t"])
    return user


# --- lockouts -----------------------------------------------------------------------------


def _release_time(rows: Iterable[tuple[datetime, int]]) -> datetime | None:
    """When failures `rows` ((time, failures), newest first, within the cool-off time) fall below
    the limit again, or None if they are below it.

    Axes sums the failures of the rows seen within the cool-off time, and each row's time is its
    latest failure: the lockout ends when the row that brought the sum to the limit ages out."""
    total = 0
    for attempt_time, failures in rows:
        total += failures
        if total >= settings.AXES_FAILURE_LIMIT:
            return attempt_time + settings.AXES_COOLOFF_TIME
    return None


def _recent_attempts(now: datetime, **filters: str) -> QuerySet:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME, **filters).order_by(
        "-attempt_time"
    )


def lockout_ends(
    *, username: str | None = None, ip_address: str | None = None, now: datetime | None = None
) -> datetime | None:
    """When the lockout of this username or address ends (the later of the two), or None."""
    now = now or timezone.now()
    ends = [
        _release_time(_recent_attempts(now, **{field: value}).values_list("attempt_time", "failures_since_start"))
        for field, value in (("username", username), ("ip_address", ip_address))
        if value
    ]
    return max((end for end in ends if end is not None and end > now), default=None)


def lockouts_current(now: datetime | None = None) -> dict[tuple[str, str], datetime]:
    """Every current lockout from one query: {("username" | "ip_address", value): end time}."""
    now = now or timezone.now()
    groups = {}
    for username, ip_address, attempt_time, failures in _recent_attempts(now).values_list(
        "username", "ip_address", "attempt_time", "failures_since_start"
    ):
        for key in (("username", username), ("ip_address", ip_address)):
            if key[1]:
                groups.setdefault(key, []).append((attempt_time, failures))
    ends = {key: _release_time(rows) for key, rows in groups.items()}
    return {key: end for key, end in ends.items() if end is not None and end > now}


def lockout_minutes_left(ends: datetime, now: datetime | None = None) -> int:
    return max(1, math.ceil((ends - (now or timezone.now())).total_seconds() / 60))


def lockout_tripped(*, request: HttpRequest, username: str | None) -> None:
    """Axes has just locked a login out. When the username itself is locked (not only the
    address), every API token of that account ends with it."""
    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model

    cooloff_start = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(username=username, attempt_time__gte=cooloff_start).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    audit_record(
        action=AuditActionChoices.LOCKOUT,
        request=request,
        username=(username or "")[:150],
        detail={"username_failures": failures or 0},
    )
    if username and (failures or 0) >= settings.AXES_FAILURE_LIMIT:
        user = get_user_model().objects.filter(username=username).first()
        if user is not None:
            token_revoke_all(user=user, reason="lockout", request=request)


def lockout_release(
    *, usernames: Iterable[str] = (), ip_addresses: Iterable[str] = (), request: HttpRequest | None = None
) -> int:
    """Unlocks these usernames (from every address) and addresses (for every username)."""
    from axes.models import AccessAttempt

    released = 0
    for field, values in (("username", usernames), ("ip_address", ip_addresses)):
        for value in sorted(set(filter(None, values))):
            count, _deleted = AccessAttempt.objects.filter(**{field: value}).delete()
            released += count
            audit_record(action=AuditActionChoices.UNLOCK, request=request, detail={field: value, "attempts": count})
    return released


def login_completed(*, user: User) -> None:
    """Every factor was given: clear the username's own failures (from any address), but not the
    other usernames' failures from the same address, which axes' own reset would wipe too."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username=user.get_username()).delete()


def login_succeeded(*, request: HttpRequest, user: User) -> None:
    """A password login went through: note in the session what it still owes (a second factor,
    a new password). Failures are cleared only once the second factor is given as well, or a
    thief with the password could reset the count between guesses at the code."""
    from .middleware import SESSION_OTP_PENDING, SESSION_PASSWORD_EXPIRED

    pending = otp_needed(user)
    if not pending:
        login_completed(user=user)
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_OTP_PENDING] = pending
        session[SESSION_PASSWORD_EXPIRED] = password_expired(user)
