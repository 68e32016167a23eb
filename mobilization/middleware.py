"""Middleware that sees every request first and every answer last.

`RequestGuardMiddleware`:
- gives each request an id (the caller's sane `X-Request-ID`, or a fresh one), returned on every
  answer and added to every log record written while serving it;
- refuses what no view can use before a view sees it: a NUL character in the path or query
  (PostgreSQL cannot store or compare it) → 400, a body over the limits → 413, both as JSON;
- counts answers by status class for `/metrics`.

Unhandled exceptions are logged by Django's `django.request` logger (configured in settings),
inside this middleware, so their records carry the request id too.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from . import metrics
from .requestlog import new_request_id, request_id_var

__all__ = ["RequestGuardMiddleware"]


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = new_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.refusal(request) or self.get_response(request)
            response["X-Request-ID"] = request_id
            metrics.count_response(response.status_code)
            return response
        finally:
            request_id_var.reset(token)

    def refusal(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").lower():
            return JsonResponse({"detail": _("The address holds a NUL character, which is never valid.")}, status=400)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": _("The Content-Length header is not a number.")}, status=400)
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        # Files may be large (videos); any other body is read into memory and has the lower limit.
        limit = settings.REQUEST_MAX_BODY_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return JsonResponse(
                {
                    "detail": _("The request body is larger than the server accepts (%(limit)d bytes).")
                    % {"limit": limit}
                },
                status=413,
            )
        return None
