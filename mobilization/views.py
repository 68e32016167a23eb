"""Health check and the portal's shared pages (home, notifications, login)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import jobs, services
from .models import Notification
from .querysets import user_profile


def _check(fn):
    started = time.monotonic()
    try:
        detail = fn()
        return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1), **(detail or {})}
    except Exception as exc:  # a health check reports every failure rather than raising it
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"vendor": connection.vendor}


def _cache():
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value just set")
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _broker():
    if not settings.REDIS_URL:
        return {"mode": "eager"}
    from .celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {"mode": "redis"}


def healthz(request):
    """200 when the database answers; cache and broker are reported beside it."""
    checks = {"database": _check(_database), "cache": _check(_cache), "broker": _check(_broker)}
    status = 200 if checks["database"]["ok"] else 503
    return JsonResponse(
        {"status": "ok" if all(c["ok"] for c in checks.values()) else "degraded", **checks}, status=status
    )


def locked_out(request, response=None, credentials=None):
    """What a locked-out login gets (django-axes): JSON for the API, a page for people; both say
    how long the lockout still runs, from the failures on record and the configured cool-off."""
    from axes.helpers import get_client_username

    from .accounts.ip import client_ip
    from .accounts.services import lockout_ends, lockout_minutes_left

    ends = lockout_ends(username=get_client_username(request, credentials), ip_address=client_ip(request))
    minutes = lockout_minutes_left(ends) if ends else int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = ngettext(
        "Too many failed logins for this account or from this address. Logins are locked for another "
        "%(minutes)d minute; try again later or ask the security administrator to unlock it.",
        "Too many failed logins for this account or from this address. Logins are locked for another "
        "%(minutes)d minutes; try again later or ask the security administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "locked_until": ends.isoformat() if ends else None}, status=429)
    return render(request, "registration/locked_out.html", {"message": message, "ends": ends}, status=429)


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True


@login_required
def portal_home(request):
    profile = user_profile(request.user)
    return render(request, "portal/home.html", {"profile": profile})


@login_required
def portal_notifications(request):
    notes = Notification.objects.visible_to(request.user).filter(recipient=request.user)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_POST
def portal_notifications_read(request):
    marked = services.notification_mark_read(user=request.user)
    messages.success(request, _("%(n)d notifications marked as read.") % {"n": marked})
    return redirect("portal:notifications")


@login_required
def job_status(request, job_id):
    """A long job's progress as JSON, for the page of the user who started it (404 for anyone else)."""
    state = jobs.job_for(job_id, request.user)
    if state is None:
        raise Http404
    return JsonResponse({k: state.get(k, "") for k in ("id", "task", "state", "done", "total", "stage")})
