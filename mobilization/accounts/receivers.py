"""Signal receivers of the account rules (connected in MobilizationConfig.ready)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services


@receiver(user_logged_in, dispatch_uid="accounts-login")
def on_login(sender, request, user, **kwargs):
    services.login_succeeded(request=request, user=user)


@receiver(user_locked_out, dispatch_uid="accounts-locked-out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    # Axes signals again for each attempt refused during a lockout; only the attempt that
    # tripped it has counted its failures (axes_failures_since_start).
    if getattr(request, "axes_failures_since_start", None) is not None:
        services.lockout_tripped(request=request, username=username)


@receiver(post_save, sender=get_user_model(), dispatch_uid="accounts-deactivated")
def on_user_saved(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        services.token_revoke_all(user=instance, reason="deactivated")
