"""The personal call-out page `/r/<token>/`: no login, phone-sized, in the user's language
(Chinese by default). GET shows it; POST (form-encoded) takes `answer` = yes/no with
`eta_minutes` / `reason`, or `checkin=1` (with `call=<id>` when a leader checks a member in), or
`unavailable_until` + `unavailable_reason` to tell the office one is away for a while.

A bad, altered or expired token gets a page saying the link is no longer valid, never a 500;
one address gets at most CALLOUT_LINK_RATE requests a minute."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from members.choices import MembershipRoleChoices, UnavailabilityReasonChoices
from members.services import person_set_availability
from mobilization.services import client_ip

from . import services
from .choices import ActivationStatusChoices, CallAnswerChoices, CallAnswerSourceChoices
from .links import link_code
from .models import PersonCall

__all__ = ["respond"]


def _limited(request):
    key = f"callout:link-rate:{client_ip(request)}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) > settings.CALLOUT_LINK_RATE
    except ValueError:
        return False


def _gone(request, status, message):
    return render(request, "callout/gone.html", {"message": message}, status=status)


def _led_calls(call):
    """The calls of the team this person leads in the same activation (for checking members in)."""
    leads = call.person.memberships.filter(
        team=call.team, left__isnull=True, role__in=[MembershipRoleChoices.LEADER, MembershipRoleChoices.DEPUTY]
    ).exists()
    if not leads:
        return None
    return list(
        PersonCall.objects.filter(activation=call.activation_id, team=call.team_id)
        .exclude(pk=call.pk)
        .select_related("person")
        .order_by("person__name")
    )


def _int_or_none(value):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ValidationError({"eta_minutes": [_("Give the minutes until you arrive as a number.")]}) from exc


def _post(request, call):
    data = request.POST
    if data.get("checkin") == "1":
        target = call
        if data.get("call") and data.get("call") != str(call.pk):
            led = {str(c.pk): c for c in (_led_calls(call) or [])}
            target = led.get(data["call"])
            if target is None:
                raise ValidationError({"call": [_("You can check in only members of the team you lead.")]})
        source = CallAnswerSourceChoices.LINK if target is call else CallAnswerSourceChoices.LEADER
        services.callout_checkin(call=target, source=source)
        return _("Arrival recorded.")
    if "unavailable_until" in data:
        person_set_availability(
            person=call.person,
            available=False,
            until=parse_date(data.get("unavailable_until") or "") if data.get("unavailable_until") else None,
            reason=data.get("unavailable_reason", ""),
            note=data.get("unavailable_note", ""),
            request=request,
        )
        return _("Thank you: the office knows you are unavailable.")
    services.callout_answer(
        call=call,
        answer=data.get("answer", ""),
        eta_minutes=_int_or_none(data.get("eta_minutes")),
        reason=data.get("reason", ""),
    )
    return _("Your answer has been recorded.")


@csrf_exempt  # no session: the signed token in the path is the credential, and it is single-person
def respond(request, token):
    if _limited(request):
        return _gone(request, 429, _("Too many requests. Wait a minute and try again."))
    code = link_code(token)
    call = PersonCall.objects.select_related("activation", "person", "team").filter(code=code).first() if code else None
    if call is None:
        return _gone(request, 404, _("This link is not valid or has expired."))
    if call.activation.status == ActivationStatusChoices.STOOD_DOWN:
        return _gone(request, 410, _("This call-out has ended; the link has expired."))
    errors, done = {}, request.GET.get("done", "")
    if request.method == "POST":
        try:
            done = _post(request, call)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        else:
            return redirect(f"{request.path}?done=1")
    elif request.method not in ("GET", "HEAD"):
        return _gone(request, 405, _("This page takes only GET and POST."))
    call.refresh_from_db()
    context = {
        "call": call,
        "activation": call.activation,
        "errors": errors,
        "done": bool(done),
        "YES": CallAnswerChoices.YES,
        "NO": CallAnswerChoices.NO,
        "led_calls": _led_calls(call),
        "reasons": UnavailabilityReasonChoices.choices,
        "today": timezone.localdate(),
    }
    return render(request, "callout/respond.html", context, status=400 if errors else 200)
