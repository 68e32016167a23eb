"""The portal's account pages: security overview, password change, second-factor enrolment and
the verify step after a password login (for the admin and the dashboard too)."""

import base64

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticToken

from ..roles import requires_two_factor
from . import services
from .middleware import SESSION_OTP_PENDING, SESSION_PASSWORD_EXPIRED

__all__ = ["PortalPasswordChangeView", "otp_enrol", "otp_verify", "security"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request, default="portal:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


def _verified(request, device):
    """The session has given its second factor."""
    django_otp.login(request, device)
    request.session.pop(SESSION_OTP_PENDING, None)
    services.login_completed(user=request.user)


@login_required
def security(request):
    user = request.user
    return render(
        request,
        "portal/account/security.html",
        {
            "enrolled": services.otp_enrolled(user),
            "required": requires_two_factor(user),
            "recovery_left": StaticToken.objects.filter(device__user=user).count(),
        },
    )


@login_required
def otp_enrol(request):
    user = request.user
    # Replacing a second factor takes the current one: a password alone must not swap it.
    if services.otp_enrolled(user) and not user.is_verified():
        return redirect(f"{reverse('portal:otp-verify')}?next={reverse('portal:otp-enrol')}")
    device = services.otp_enrol_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.otp_enrol_confirm(user=user, device=device, code=form.cleaned_data["code"], request=request)
        if codes is not None:
            _verified(request, device)
            # Shown this once: only django-otp's copy remains, and it is never displayed again.
            return render(request, "portal/account/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("code", _("The code is wrong: check the time on your phone and try the newest code."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "portal/account/otp_enrol.html",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code")),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def otp_verify(request):
    user = request.user
    if not services.otp_enrolled(user):
        return redirect(f"{reverse('portal:otp-enrol')}?next={_next_url(request)}")
    if user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not AxesProxyHandler.is_allowed(request, {"username": user.get_username()}):
            logout(request)
            from ..views import locked_out

            return locked_out(request, credentials={"username": user.get_username()})
        device = services.otp_verify(user=user, code=form.cleaned_data["code"], request=request)
        if device is not None:
            _verified(request, device)
            return redirect(_next_url(request))
        if getattr(request, "axes_locked_out", False):  # this failure tripped the lockout
            logout(request)
            return redirect("portal:login")  # axes' middleware answers with the lockout page
        form.add_error("code", _("The code is wrong or was already used."))
    return render(request, "portal/account/otp_verify.html", {"form": form, "next": _next_url(request)})


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    """Every user's own password change at phone size; the admin keeps its own page."""

    template_name = "portal/account/password_change.html"
    success_url = reverse_lazy("portal:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(SESSION_PASSWORD_EXPIRED, None)
        messages.success(self.request, _("Your password was changed."))
        return response
