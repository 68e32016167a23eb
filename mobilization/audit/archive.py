"""Retention: events are kept at least 180 days (AUDIT_RETENTION_DAYS, never less); older ones
move to a signed archive file before they leave the database.

An archive is a JSON-lines file of whole events (content, link and hash) and a manifest naming
its range, its SHA-256 and the hash of its last event, signed with a key derived from the
chain's. The database keeps one `AuditArchive` row per file: verification of the live chain
starts from the last archived hash, and `verify_archives` checks the files themselves.
"""

import datetime
import hashlib
import json
import os
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ..choices import AuditActionChoices
from ..models.audit import GENESIS_HASH, AuditArchive, AuditEvent
from . import chain

__all__ = ["AuditChainBroken", "archive_dir", "archive_events", "retention_days", "verify_archives"]

MINIMUM_RETENTION_DAYS = 180  # GB/T 22239-2019 §8.1.4.3 d) with the Cybersecurity Law, art. 21
ARCHIVE_PURPOSE = "mobilization audit archive"


class AuditChainBroken(Exception):
    """The events to archive do not verify: they stay where they are, as evidence."""


def retention_days():
    return max(MINIMUM_RETENTION_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)))


def archive_dir():
    folder = getattr(settings, "AUDIT_ARCHIVE_DIR", "") or Path(settings.MEDIA_ROOT) / "private" / "audit-archive"
    return Path(folder)


def _line(row):
    return {**row, "created": row["created"].astimezone(datetime.UTC).isoformat()}


def _values(line):
    return {**line, "created": datetime.datetime.fromisoformat(line["created"])}


def _sign(manifest):
    return chain.seal(json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode(), ARCHIVE_PURPOSE)


def _cutoff(today):
    start = today - datetime.timedelta(days=retention_days())
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))


def archive_events(*, today=None, batch_size=5000):
    """Archive the events older than the retention period (counted back from `today`, Beijing
    date) and remove them; the archive is a prefix of the chain. Returns the AuditArchive, or
    None when nothing is old enough. Raises AuditChainBroken, archiving nothing, when the events
    to archive do not verify."""
    today = today or timezone.localdate()
    newest_kept = AuditEvent.objects.filter(created__gte=_cutoff(today)).order_by("id").values("id")[:1]
    old = AuditEvent.objects.order_by("id")
    old = old.filter(id__lt=newest_kept) if newest_kept.exists() else old
    last = old.values_list("id", flat=True).last()
    if last is None:
        return None
    previous_archive = AuditArchive.objects.order_by("-last_event_id").first()
    expected = previous_archive.last_hash if previous_archive else GENESIS_HASH
    first_prev_hash = expected

    folder = archive_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fields = ("id", "hash", *chain.CONTENT_FIELDS)
    digest, count, first, cursor = hashlib.sha256(), 0, None, 0
    partial = folder / f".audit-upto-{last:012d}.partial"
    with partial.open("wb") as out:
        while True:
            rows = list(old.filter(id__gt=cursor, id__lte=last).values(*fields)[:batch_size])
            for row in rows:
                if chain.event_hash(row) != row["hash"] or row["prev_hash"] != expected:
                    raise AuditChainBroken(row["id"])
                line = (json.dumps(_line(row), sort_keys=True, ensure_ascii=False, default=str) + "\n").encode()
                out.write(line)
                digest.update(line)
                expected, count, first = row["hash"], count + 1, first or row["id"]
            if len(rows) < batch_size:
                break
            cursor = rows[-1]["id"]
        out.flush()
        os.fsync(out.fileno())
    name = f"audit-{first:012d}-{last:012d}.jsonl"
    os.replace(partial, folder / name)
    manifest = {
        "file": name,
        "sha256": digest.hexdigest(),
        "first_event_id": first,
        "last_event_id": last,
        "count": count,
        "first_prev_hash": first_prev_hash,
        "last_hash": expected,
        "archived_at": timezone.now().isoformat(),
        "retention_days": retention_days(),
    }
    signature = _sign(manifest)
    (folder / f"{name}.manifest.json").write_text(
        json.dumps({"manifest": manifest, "signature": signature}, indent=2, ensure_ascii=False)
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The one door in the table's trigger, for this transaction only.
            with connection.cursor() as db:
                db.execute("SET LOCAL audit.archiving = 'on'")
        archive = AuditArchive.objects.create(
            file_name=name,
            first_event_id=first,
            last_event_id=last,
            count=count,
            first_prev_hash=first_prev_hash,
            last_hash=expected,
            signature=signature,
        )
        AuditEvent.objects.filter(id__lte=last).archive_delete()
        from ..services import audit_record

        audit_record(
            action=AuditActionChoices.ARCHIVE,
            obj=archive,
            detail={"events": count, "first": first, "last": last, "before": _cutoff(today).isoformat()},
        )
    return archive


def verify_archives():
    """Check every archive file against its manifest, signature and row, and the chain through
    them; returns a list of problems (empty when all are sound)."""
    problems, expected = [], GENESIS_HASH
    folder = archive_dir()
    for archive in AuditArchive.objects.order_by("last_event_id"):
        path, manifest_path = folder / archive.file_name, folder / f"{archive.file_name}.manifest.json"
        if not path.exists() or not manifest_path.exists():
            problems.append(f"{archive.file_name}: the file or its manifest is missing")
            expected = archive.last_hash
            continue
        signed = json.loads(manifest_path.read_text())
        manifest = signed["manifest"]
        if _sign(manifest) != signed["signature"] or signed["signature"] != archive.signature:
            problems.append(f"{archive.file_name}: the manifest's signature does not verify")
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != manifest["sha256"]:
            problems.append(f"{archive.file_name}: the file does not match its manifest (changed)")
        if archive.first_prev_hash != expected:
            problems.append(f"{archive.file_name}: does not follow the archive before it")
        previous = archive.first_prev_hash
        for number, text in enumerate(content.decode().splitlines(), start=1):
            values = _values(json.loads(text))
            if chain.event_hash(values) != values["hash"] or values["prev_hash"] != previous:
                problems.append(f"{archive.file_name}: line {number} (event {values['id']}) is broken")
                break
            previous = values["hash"]
        else:
            if previous != archive.last_hash:
                problems.append(f"{archive.file_name}: its last event is not the one its row names")
        expected = archive.last_hash
    return problems
