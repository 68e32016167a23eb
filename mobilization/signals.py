"""Every login, success or failure, with time, user, address and outcome (MLPS 2.0), and every
account that becomes a superuser, however it was made (createsuperuser, the admin, the shell)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
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


def _touches_superuser_flag(instance, update_fields):
    return instance.is_superuser and (update_fields is None or "is_superuser" in update_fields)


@receiver(pre_save, sender=get_user_model(), dispatch_uid="audit-superuser-before")
def on_user_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    # A login saves last_login alone: only a save that may set the flag costs the look-up.
    if raw or not _touches_superuser_flag(instance, update_fields):
        return
    was = sender._base_manager.filter(pk=instance.pk, is_superuser=True).exists() if instance.pk else False
    instance._audit_becomes_superuser = not was


@receiver(post_save, sender=get_user_model(), dispatch_uid="audit-superuser-after")
def on_user_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not getattr(instance, "_audit_becomes_superuser", False):
        return
    del instance._audit_becomes_superuser
    # Who made it is not known here (a command line has no user): the event names the account.
    audit_record(
        action=AuditActionChoices.SUPERUSER_CREATED,
        obj=instance,
        detail={"username": instance.get_username(), "new_account": created},
    )
