"""The chain: each event's keyed hash covers its content and the hash of the event before it.

Changing, removing or inserting a row breaks the chain at that row: `verify_chain` walks it in
id order and names the first event that does not fit. The hash is keyed (whoever can write the
database cannot forge it without the key), the key derived from AUDIT_CHAIN_KEY, or from
SECRET_KEY when that is not set.
"""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.utils import timezone

from ..models.audit import GENESIS_HASH, AuditArchive, AuditChainHead, AuditEvent

__all__ = ["CONTENT_FIELDS", "append", "canonical", "event_hash", "seal", "verify_chain"]

# What an event's hash covers, by attribute name; the id is not needed: the link to the
# previous hash fixes each event's place.
CONTENT_FIELDS = (
    "created",
    "user_id",
    "username",
    "full_name",
    "role",
    "action",
    "outcome",
    "ip_address",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "detail",
    "prev_hash",
)
_LIMITS = {"username": 150, "full_name": 150, "role": 32, "object_type": 100, "object_id": 64, "object_repr": 200}


@cache
def _derived_key(material, purpose):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(material.encode())


def chain_key(purpose="mobilization audit chain"):
    """The key of the chain (or, with another purpose, of the archive signatures)."""
    material = getattr(settings, "AUDIT_CHAIN_KEY", "") or settings.SECRET_KEY
    return _derived_key(material, purpose)


def seal(message: bytes, purpose="mobilization audit chain") -> str:
    """The keyed hash of the trail: HMAC-SHA256 today. The one place to change the primitive
    (HMAC-SM3, say); events sealed before a change no longer verify, so archive them first."""
    return hmac.new(chain_key(purpose), message, hashlib.sha256).hexdigest()


def canonical(values) -> bytes:
    """The content of an event (a mapping of CONTENT_FIELDS) as the bytes its hash covers."""
    data = {name: values[name] for name in CONTENT_FIELDS}
    data["created"] = data["created"].astimezone(datetime.UTC).isoformat()
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def event_hash(values) -> str:
    return seal(canonical(values))


def _content(event):
    return {name: getattr(event, name) for name in CONTENT_FIELDS}


def _json(value):
    # What the database gives back for a JSON field: plain types only, dates as text.
    return json.loads(json.dumps(value or {}, default=str))


def _ip(value):
    if not value:
        return None
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return AuditEvent._meta.get_field("ip_address").get_prep_value(value)


def _normalise(event):
    """Make the event hold exactly what the database will give back, so its hash verifies."""
    for name, limit in _LIMITS.items():
        setattr(event, name, str(getattr(event, name) or "")[:limit])
    event.ip_address = _ip(event.ip_address)
    event.changes = _json(event.changes)
    event.detail = _json(event.detail)


def _lock_head(using):
    manager = AuditChainHead.objects.db_manager(using)
    if connections[using].vendor != "postgresql":
        # No row locks (SQLite): writing first takes the database's write lock, so no other
        # writer can read the head before this transaction ends.
        manager.filter(pk=1).update(last_event_id=F("last_event_id"))
    head = manager.select_for_update().filter(pk=1).first()
    return head or manager.create(pk=1, last_hash=GENESIS_HASH)


def append(events, *, using=DEFAULT_DB_ALIAS):
    """Link `events` (unsaved AuditEvents) into the chain and save them, in one insert.

    Runs in the caller's transaction (or its own): the chain head stays locked until it ends,
    so concurrent writers queue instead of forking the chain."""
    events = list(events)
    if not events:
        return events
    with transaction.atomic(using=using, savepoint=False):
        head = _lock_head(using)
        previous = head.last_hash
        now = timezone.now()  # under the lock: time order is chain order
        for event in events:
            _normalise(event)
            event.created = now
            event.prev_hash = previous
            event.hash = previous = event_hash(_content(event))
        if len(events) == 1:
            events[0].save(using=using)
        else:
            AuditEvent.objects.using(using).bulk_create(events, batch_size=1000)
        head.last_hash, head.last_event_id = previous, events[-1].pk
        head.save(using=using, update_fields=["last_hash", "last_event_id"])
    return events


@dataclass
class ChainReport:
    intact: bool
    count: int
    event_id: int | None = None
    problem: str = ""

    def __str__(self):
        if self.intact:
            return f"intact, {self.count} events"
        return f"broken at event {self.event_id}: {self.problem}" if self.event_id else f"broken: {self.problem}"


def verify_chain(*, batch_size=2000, using=DEFAULT_DB_ALIAS):
    """Walk the chain from the last archive (or its start) in id order; the first event whose
    content does not match its hash, or whose link does not match the event before, is reported."""
    archive = AuditArchive.objects.using(using).order_by("-last_event_id").first()
    expected, previous_id = (archive.last_hash, archive.last_event_id) if archive else (GENESIS_HASH, None)
    fields = ("id", "hash", *CONTENT_FIELDS)
    count, last_id = 0, previous_id or 0
    while True:
        rows = list(AuditEvent.objects.using(using).filter(id__gt=last_id).order_by("id").values(*fields)[:batch_size])
        for row in rows:
            if event_hash(row) != row["hash"]:
                return ChainReport(False, count, row["id"], "its content does not match its hash (the row was changed)")
            if row["prev_hash"] != expected:
                after = f"event {previous_id}" if previous_id else "the start of the chain"
                return ChainReport(
                    False,
                    count,
                    row["id"],
                    f"it does not follow {after}: previous hash {row['prev_hash'][:12]}… expected {expected[:12]}… "
                    "(an event between them was removed, or events were reordered)",
                )
            expected, previous_id = row["hash"], row["id"]
            count += 1
        if len(rows) < batch_size:
            break
        last_id = rows[-1]["id"]
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    if (
        head is not None
        and head.last_event_id is not None
        and (head.last_hash, head.last_event_id)
        != (
            expected,
            previous_id,
        )
    ):
        return ChainReport(
            False,
            count,
            head.last_event_id,
            f"the chain ends at event {previous_id} but its head names event {head.last_event_id} "
            "(events were removed from the end)",
        )
    return ChainReport(True, count)
