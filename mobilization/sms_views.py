"""The SMS gateway's delivery receipts: a machine-to-machine callback, signed, without a session."""

import hmac
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .services import sms_receipt
from .sms import gateway_signature, receipt_fresh

__all__ = ["sms_receipt_view"]

RECEIPT_STATUSES = {"delivered": True, "failed": False}


@csrf_exempt  # the gateway is no browser: the HMAC signature is what proves who sent it
@require_POST
def sms_receipt_view(request):
    """POST JSON `{"id", "status": "delivered"|"failed", "error"}` with `X-Timestamp` and
    `X-Signature` = HMAC-SHA256(SMS_GATEWAY_SECRET, id, status, timestamp). 204 when recorded."""
    secret = settings.SMS_GATEWAY_SECRET
    timestamp = request.headers.get("X-Timestamp", "")
    try:
        data = json.loads(request.body.decode() or "{}")
        provider_id, status = str(data["id"]), str(data["status"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return JsonResponse({"detail": _("A receipt is JSON with an id and a status.")}, status=400)
    expected = gateway_signature(secret, provider_id, status, timestamp) if secret else ""
    signature = request.headers.get("X-Signature", "")

    if not secret or not hmac.compare_digest(expected, signature) or not receipt_fresh(timestamp):
        return JsonResponse({"detail": _("The receipt's signature is not valid.")}, status=403)
    if status not in RECEIPT_STATUSES:
        return JsonResponse({"status": [_("Unknown delivery status.")]}, status=400)
    if not sms_receipt(provider_id=provider_id, delivered=RECEIPT_STATUSES[status], error=str(data.get("error", ""))):
        return JsonResponse({"detail": _("No such message.")}, status=404)
    return HttpResponse(status=204)
