"""Every login, success or failure, with time, user, address and outcome (MLPS 2.0)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .choices import AuditActionChoices
from .services import audit_record, record_login


@receiver(user_logged_in, dispatch_uid="audit-login")
def on_login(sender, request, user, **kwargs):
    record_login(request=request, user=user, success=True)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    record_login(request=request, username=str(credentials.get("username", ""))[:150], success=False)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditActionChoices.LOGOUT, request=request, user=user)
