"""Text messages with a delivery status: queued, sent, delivered or failed, with retries.

Callers queue messages (`sms_queue`: one bulk insert, each message once by its key); a Celery task
sends a batch (`sms_send_batch`), each message under its row lock so two workers never send
the same one; a failure is tried again later with a growing pause, up to SMS_MAX_ATTEMPTS; a
gateway's receipt (`sms_receipt`) moves a sent message to delivered or failed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from ..choices import SMSStatusChoices
from ..models import SMSMessage
from ..sms import SMSDeliveryError, accepts_message_id, get_backend, send_sms

__all__ = [
    "sms_attempt",
    "sms_enqueue",
    "sms_queue",
    "sms_receipt",
    "sms_send_after_commit",
    "sms_send_batch",
    "sms_send_due",
]

S = SMSStatusChoices


def _due(now):
    return Q(status=S.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def sms_queue(*, messages: Iterable[tuple[str, str, str]], batch: str, send: bool = True) -> int:
    """Queue `(key, to, text)` messages in one batch, each key at most once, and have a worker send
    them after commit. Returns how many rows the batch holds now (a re-run adds none)."""
    rows = [SMSMessage(key=key, batch=batch, to=to, text=text) for key, to, text in messages if to]
    SMSMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    if send and rows:
        sms_send_after_commit(batch)
    return len(rows)


def sms_enqueue(*, messages: list[SMSMessage], batch: str) -> list[SMSMessage]:
    """Queue new messages (their keys not used before) in one bulk insert and return them with
    their ids, for callers that keep a reference to each (a call-out's people)."""
    for message in messages:
        message.batch = batch
    SMSMessage.objects.bulk_create(messages, batch_size=2000)
    if messages:
        sms_send_after_commit(batch)
    return messages


def sms_send_after_commit(batch: str) -> None:
    """A worker sends the batch once the rows are committed; with the broker down the rows wait,
    queued, for the beat sweep (`sms_send_due`)."""
    from ..celery import enqueue_on_commit
    from ..tasks import sms_send_batch_task

    enqueue_on_commit(sms_send_batch_task, batch)


def sms_attempt(message: SMSMessage, backend, *, now: datetime.datetime | None = None) -> SMSMessage:
    """Try to send `message` once (the caller holds its row) and record how it went."""
    now = now or timezone.now()
    message.attempts += 1
    try:
        # The key is the same on every attempt: the carrier's de-duplication key (see mobilization.sms).
        answer = send_sms(backend, message.to, message.text, message_id=message.key)
    except SMSDeliveryError as exc:
        _failed(message, str(exc), retryable=exc.retryable, now=now)
    except Exception as exc:  # a backend bug must not stop the other messages: recorded, retried
        _failed(message, f"{type(exc).__name__}: {exc}", retryable=True, now=now)
    else:
        message.provider_id = answer if isinstance(answer, str) else ""
        message.sent_at, message.error, message.next_attempt_at = now, "", None
        if getattr(backend, "confirms_delivery", False):
            message.status = S.SENT
        else:
            message.status, message.delivered_at = S.DELIVERED, now
    message.save(
        update_fields=[
            "attempts", "provider_id", "status", "sent_at", "delivered_at", "error", "next_attempt_at", "updated",
        ]
    )  # fmt: skip
    return message


def _failed(message, error, *, retryable, now):
    message.error = error[:300]
    if retryable and message.attempts < settings.SMS_MAX_ATTEMPTS:
        pause = settings.SMS_RETRY_SECONDS * 2 ** (message.attempts - 1)
        message.status, message.next_attempt_at = S.QUEUED, now + datetime.timedelta(seconds=pause)
    else:
        message.status, message.next_attempt_at = S.FAILED, None


def sms_send_batch(*, batch: str, chunk: int = 200, now: datetime.datetime | None = None) -> dict:
    """Send the messages of `batch` that are due; returns `{"sent", "retry_in"}`, where
    `retry_in` is the seconds until the next retry waiting in the batch (None when none waits).

    Messages are claimed under their rows' locks (SKIP LOCKED: two workers never take the same
    one) and their outcome recorded in the claiming transaction, so a worker that dies leaves each
    either recorded or still queued for the next run. What it was sending goes out again with the
    same message id, which the carrier de-duplicates; so with a backend that takes the id, `chunk`
    messages are claimed per transaction, and with one that does not, one at a time (a crash then
    repeats at most that one)."""
    backend = get_backend()
    per_transaction = chunk if accepts_message_id(backend) else 1
    sent = 0
    last_id = 0
    while True:
        at = now or timezone.now()
        with transaction.atomic():
            claimed = list(
                SMSMessage.objects.select_for_update(skip_locked=True)
                .filter(_due(at), batch=batch, pk__gt=last_id)
                .order_by("pk")[:per_transaction]
            )
            for message in claimed:
                sms_attempt(message, backend, now=at)
        if not claimed:
            break
        last_id = claimed[-1].pk
        sent += len(claimed)
    waiting = SMSMessage.objects.filter(batch=batch, status=S.QUEUED).aggregate(at=Min("next_attempt_at"))["at"]
    retry_in = None
    if waiting is not None:
        retry_in = max(1, int((waiting - (now or timezone.now())).total_seconds()))
    return {"sent": sent, "retry_in": retry_in}


def sms_send_due(*, now: datetime.datetime | None = None, batches: int = 100) -> dict[str, int]:
    """The safety net run by beat: send what is due in any batch (a retry whose task was lost,
    a batch queued while the broker was down)."""
    now = now or timezone.now()
    due = SMSMessage.objects.filter(_due(now)).order_by().values_list("batch", flat=True).distinct()[:batches]
    return {batch: sms_send_batch(batch=batch, now=now)["sent"] for batch in list(due)}


@transaction.atomic
def sms_receipt(*, provider_id: str, delivered: bool, error: str = "", at: datetime.datetime | None = None) -> bool:
    """Record the gateway's delivery receipt for its message `provider_id`. Returns False when no
    such message is known. A late "failed" never overrides a "delivered"."""
    message = SMSMessage.objects.select_for_update().filter(provider_id=provider_id).first()
    if message is None:
        return False
    if message.status == S.DELIVERED:
        return True
    if delivered:
        message.status, message.delivered_at = S.DELIVERED, at or timezone.now()
    else:
        message.status, message.error = S.FAILED, (error or "")[:300]
    message.save(update_fields=["status", "delivered_at", "error", "updated"])
    return True
