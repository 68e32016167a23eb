"""Services of the shared core: roles, users, audit, notifications and the beat schedule.

Every function that changes state lives here (or in an app's services.py) and is called by
the admin, the API, the portal and Celery tasks alike.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..accounts.ip import client_ip
from ..audit import capture as audit_capture
from ..audit import chain as audit_chain
from ..choices import AuditActionChoices, AuditOutcomeChoices, SMSStatusChoices
from ..fields import hashed_in
from ..masking import mask_mapping
from ..models import AuditEvent, Notification, SMSMessage, UserProfile
from ..roles import may_manage_accounts, role_permissions, uses_admin_site
from .sms import (
    sms_attempt,
    sms_enqueue,
    sms_queue,
    sms_receipt,
    sms_send_after_commit,
    sms_send_batch,
    sms_send_due,
)

if TYPE_CHECKING:
    from django.apps import AppConfig
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import Model
    from django.http import HttpRequest

    from ..backups import Backup
    from ..models import AuditEvent, MemberUnit, Region


__all__ = [
    "audit_record",
    "backup_create",
    "backup_prune",
    "backup_restore",
    "client_ip",
    "deliver_notifications",
    "ensure_periodic_tasks",
    "notification_mark_read",
    "notify",
    "record_login",
    "sms_attempt",
    "sms_send_after_commit",
    "sms_enqueue",
    "sms_queue",
    "sms_receipt",
    "sms_send_batch",
    "sms_send_due",
    "sync_role_groups",
    "user_assign_role",
    "user_profile_save",
]

logger = logging.getLogger("mobilization")


def sync_role_groups(sender: AppConfig | None = None, **kwargs: Any) -> None:
    """Make each role's group hold exactly the permissions `roles.role_permissions()` assembles.

    Runs after every migrate, so a new model or a changed declaration reaches the groups."""
    from django.contrib.auth.management import create_permissions

    wanted = role_permissions()
    for label in {label for perms in wanted.values() for label, _codename in perms}:
        create_permissions(apps.get_app_config(label), verbosity=0)
    for role, perms in wanted.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        by_app = {}
        for label, codename in perms:
            by_app.setdefault(label, set()).add(codename)
        permission_ids = []
        for label, codenames in by_app.items():
            found = Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
            permission_ids += list(found.values_list("id", flat=True))
        group.permissions.set(permission_ids)


def ensure_periodic_tasks(sender: AppConfig | None = None, **kwargs: Any) -> None:
    """Create the beat schedules the apps declare, once: after that they are the office's to edit."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for app_config in apps.get_app_configs():
        for name, task, cron in getattr(app_config, "periodic_tasks", []):
            if PeriodicTask.objects.filter(name=name).exists():
                continue
            schedule, _ = CrontabSchedule.objects.get_or_create(timezone=settings.TIME_ZONE, **cron)
            PeriodicTask.objects.create(name=name, task=task, crontab=schedule)


@transaction.atomic
def user_assign_role(
    *,
    username: str,
    role: str,
    region: Region | None,
    member_unit: MemberUnit | None = None,
    password: str | None = None,
    phone: str = "",
    email: str = "",
    full_name: str = "",
) -> User:
    """Create or update a user with one role: its group, its profile, and admin access if the role works there."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    before = (user.password, user.email, user.last_name, user.first_name, user.is_staff)
    if password and (created or not user.check_password(password)):
        user.set_password(password)
    user.email = email or user.email
    if full_name:
        user.last_name, user.first_name = full_name[:1], full_name[1:]
    user.is_staff = uses_admin_site(role)
    if created or before != (user.password, user.email, user.last_name, user.first_name, user.is_staff):
        user.save()
    profile = UserProfile.objects.filter(user=user).first() or UserProfile(user=user)
    wanted = (role, getattr(region, "pk", region), getattr(member_unit, "pk", member_unit), phone)
    if profile.pk is None or (profile.role, profile.region_id, profile.member_unit_id, profile.phone) != wanted:
        profile.role, profile.region, profile.member_unit, profile.phone = role, region, member_unit, phone
        profile.full_clean()
        profile.save()
        user.__dict__.pop("_scoping_profile", None)  # scoping reads the role just set
    _grant_role(user, role)
    return user


@transaction.atomic
def user_profile_save(*, profile: UserProfile, by: User) -> UserProfile:
    """Save a user's profile as the security administrator edits it in the admin: the user's
    group and admin access follow the role, so a role is never held without its permissions."""
    if not may_manage_accounts(by):
        raise PermissionDenied(_("Only the security administrator assigns roles."))
    profile.full_clean()
    profile.save()
    _grant_role(profile.user, profile.role)
    return profile


def _grant_role(user, role):
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    if user.is_staff != uses_admin_site(role):
        user.is_staff = uses_admin_site(role)
        user.save(update_fields=["is_staff"])


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    user: User | AnonymousUser | None = None,
    username: str = "",
    obj: Model | None = None,
    detail: Mapping[str, Any] | None = None,
    outcome: str = AuditOutcomeChoices.SUCCESS,
    changes: Mapping[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event to the audit trail, linked into its hash chain.

    The actor is `user` (or the request's user), kept with their username, full name and role
    at this moment; `username` names someone who is not a user (a failed login). `changes` is
    {field: [old, new]}; personal data in it and in `detail` is masked here."""
    event = audit_capture.new_event(
        action=action,
        user=user,
        username=username,
        # A service called while serving a request needs not pass it: the address is the same.
        request=request if request is not None else audit_capture.current_request(),
        obj=obj,
        outcome=outcome,
        changes=mask_mapping(changes or {}),
        detail=mask_mapping(detail or {}),
        ip_address=ip_address,
    )
    return audit_chain.append([event])[0]


def notify(
    *,
    recipients: Iterable[User | int] | QuerySet[User],
    key: str,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = False,
    sms: bool = False,
    phones: Iterable[str] = (),
) -> int:
    """Create one notification per recipient for `key`, at most once each, and queue delivery.

    Safe to call twice, concurrently or after a crash: the unique (recipient, key) makes the
    second insert a no-op, and delivery claims each row before sending it.

    `recipients` is a list of users or user ids, or a queryset of users: then the database
    inserts the rows itself in one INSERT ... SELECT (no user is loaded into Python, which is
    what a fan-out to 100,000 people needs) and the count returned is the rows new this time.

    `phones` are mobile numbers of people who may have no account (team leaders, say): each
    gets the SMS once, unless it is the profile phone of one of `recipients`, who is reached anyway."""
    created = _notify_phones(phones, recipients, key=key, kind=kind, title=title, body=body, url=url)
    if isinstance(recipients, QuerySet) and connection.vendor in ("postgresql", "sqlite"):
        created += _notify_from_queryset(
            recipients, key=key, kind=kind, title=title, body=body, url=url, email=email, sms=sms
        )
        if created and (email or sms or phones):
            _queue_delivery(key)
        return created
    rows = [
        Notification(
            recipient_id=getattr(r, "pk", r),
            key=key,
            kind=kind,
            title=str(title)[:200],
            body=str(body),
            url=url,
            send_email=email,
            send_sms=sms,
        )
        for r in recipients
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    if email or sms or phones:
        _queue_delivery(key)
    return created + len(rows)


def _queue_delivery(key):
    from ..celery import enqueue_on_commit
    from ..tasks import deliver_notifications_task

    enqueue_on_commit(deliver_notifications_task, key)


def _notify_phones(phones, recipients, *, key, kind, title, body, url):
    """SMS-only rows for the phones no recipient carries on their profile; returns how many are new."""
    phones = set(filter(None, phones))
    if not phones:
        return 0
    users = recipients if isinstance(recipients, QuerySet) else [getattr(r, "pk", r) for r in recipients]
    held = UserProfile.objects.filter(user__in=users, **hashed_in("phone", phones))
    phones -= set(held.values_list("phone", flat=True))
    phones = sorted(phones)
    if not phones:
        return 0
    before = Notification.objects.filter(key=key, recipient=None).count()
    Notification.objects.bulk_create(
        [
            Notification(
                phone=phone, key=key, kind=kind, title=str(title)[:200], body=str(body), url=url, send_sms=True
            )
            for phone in phones
        ],
        ignore_conflicts=True,
    )
    return Notification.objects.filter(key=key, recipient=None).count() - before


def _notify_from_queryset(users, *, key, kind, title, body, url, email, sms):
    """One notification per user of `users` for `key`, by INSERT ... SELECT ... ON CONFLICT DO NOTHING."""
    try:
        ids_sql, ids_params = users.order_by().values(notify_recipient=F("pk")).distinct().query.sql_with_params()
    except EmptyResultSet:  # e.g. .none(): nobody to notify
        return 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = [
        "recipient_id",
        "key",
        "kind",
        "title",
        "body",
        "url",
        "send_email",
        "send_sms",
        "phone",
        "phone_hash",
        "created",
        "updated",
    ]
    table = Notification._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    # "WHERE 1=1" keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) "
        f"SELECT r.notify_recipient, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s FROM ({ids_sql}) r WHERE 1=1 "
        f"ON CONFLICT ({connection.ops.quote_name('recipient_id')}, {connection.ops.quote_name('key')}) DO NOTHING"
    )
    params = [key, kind, str(title)[:200], str(body), url, bool(email), bool(sms), "", "", now, now]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids_params])  # the constants come first in the statement
        return max(cursor.rowcount, 0)


PENDING_COPY = Q(send_email=True, email_sent_at__isnull=True) | Q(send_sms=True, sms_sent_at__isnull=True)


def deliver_notifications(*, key: str, batch_size: int = 500, sms_batch: int = 200) -> int:
    """Send the copies of notifications `key` not yet sent; returns how many notifications had
    copies sent.

    An SMS copy becomes a text message (`SMSMessage`, keyed by the notification: queued once) with
    a delivery status and retries of its own, sent by the SMS task after commit; a copy is recorded
    sent in the transaction that queued its text. Copies are claimed under their rows' locks
    (SKIP LOCKED: two workers never take the same row), so a worker that dies mid-run leaves every
    copy either recorded or still pending for the next run (the sweep, or the task redelivered):
    none is lost, none queued twice. SMS-only copies (the big fan-outs to phones) are queued
    `sms_batch` per transaction; a notification with an email copy pending is claimed alone, as an
    email carries no de-duplication key: a crash repeats at most the one email being sent."""
    pending = Notification.objects.filter(PENDING_COPY, key=key)
    texts = f"n:{key}"[:100]
    sent = 0
    sms_only = Q(send_sms=True, sms_sent_at__isnull=True) & ~Q(send_email=True, email_sent_at__isnull=True)
    while True:
        with transaction.atomic():
            notes = list(
                pending.filter(sms_only)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", "recipient__profile")
                .order_by("pk")[:sms_batch]
            )
            _queue_texts(notes, batch=texts)
            Notification.objects.filter(pk__in=[note.pk for note in notes]).update(sms_sent_at=timezone.now())
        sent += len(notes)
        if len(notes) < sms_batch:
            break
    while True:
        ids = list(pending.order_by("pk").values_list("pk", flat=True)[:batch_size])
        taken = 0
        for pk in ids:
            with transaction.atomic():
                note = (
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient", "recipient__profile")
                    .filter(PENDING_COPY, pk=pk)
                    .first()
                )
                if note is None:  # sent meanwhile, or being sent by another worker
                    continue
                _send_copies(note, texts)
                taken += 1
        sent += taken
        if len(ids) < batch_size or not taken:
            break
    if SMSMessage.objects.filter(batch=texts, status=SMSStatusChoices.QUEUED).exists():
        sms_send_after_commit(texts)
    return sent


def _queue_texts(notes, *, batch):
    messages = []
    for note in notes:
        phone = note.phone or getattr(getattr(note.recipient, "profile", None), "phone", "")
        if phone:
            messages.append((f"notification:{note.pk}", phone, f"{note.title} {note.body}".strip()))
    sms_queue(messages=messages, batch=batch, send=False)


def _send_copies(note, texts):
    now = timezone.now()
    if note.send_email and note.email_sent_at is None:
        if note.recipient and note.recipient.email:
            send_mail(note.title, note.body, None, [note.recipient.email], fail_silently=True)
        note.email_sent_at = now
    if note.send_sms and note.sms_sent_at is None:
        _queue_texts([note], batch=texts)
        note.sms_sent_at = now
    note.save(update_fields=["email_sent_at", "sms_sent_at"])


def deliver_pending_notifications(
    *, older_than: datetime.timedelta = datetime.timedelta(minutes=5), keys: int = 100
) -> dict[str, int]:
    """Deliver copies whose delivery task never ran (the broker was down when it was queued, say):
    the keys with copies pending for longer than `older_than`. Run every few minutes by beat."""
    stale = (
        Notification.objects.filter(PENDING_COPY, created__lt=timezone.now() - older_than)
        .order_by()
        .values_list("key", flat=True)
        .distinct()[:keys]
    )
    return {key: deliver_notifications(key=key) for key in list(stale)}


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when ids is None)."""
    qs = Notification.objects.visible_to(user).unread().filter(recipient=user)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def record_login(
    *, request: HttpRequest | None, user: User | None = None, username: str = "", success: bool = True
) -> None:
    """A login or a failed one; a superuser's login is an event of its own kind (daily work needs
    no superuser, so each of their logins is worth the auditor's eye)."""
    if not success:
        action = AuditActionChoices.LOGIN_FAILED
    elif user is not None and user.is_superuser:
        action = AuditActionChoices.SUPERUSER_LOGIN
    else:
        action = AuditActionChoices.LOGIN
    audit_record(
        action=action,
        request=request,
        user=user,
        username=username,
        outcome=AuditOutcomeChoices.SUCCESS if success else AuditOutcomeChoices.FAILURE,
    )


def backup_create(*, keep: int | None = None, user: User | None = None) -> Backup:
    """Back up the database and the media folder into a new folder under BACKUP_DIR (see
    `mobilization.backups`), then keep only the `keep` most recent backups (None: BACKUP_KEEP,
    0: keep all). The backup, or its failure, and the backups removed are in the audit trail."""
    from .. import backups

    keep = settings.BACKUP_KEEP if keep is None else keep
    try:
        backup = backups.make_backup()
    except Exception as exc:
        audit_record(action=AuditActionChoices.BACKUP, user=user, outcome=AuditOutcomeChoices.FAILURE,
                     detail={"error": str(exc)[:500]})  # fmt: skip
        raise
    removed = backup_prune(keep=keep) if keep else []
    audit_record(
        action=AuditActionChoices.BACKUP,
        user=user,
        detail={
            "folder": backup.folder.name,
            "tables": len(backup.manifest["tables"]),
            "rows": backup.rows,
            "media_files": backup.manifest["media"]["files"],
            "bytes": backup.manifest["database"]["bytes"] + backup.manifest["media"]["bytes"],
            "removed": [path.name for path in removed],
        },
    )
    return backup


def backup_prune(*, keep: int) -> list:
    """Remove all but the `keep` most recent complete backups; returns the folders removed."""
    import shutil

    from .. import backups

    folders = backups.backup_folders()
    removed = folders[: max(0, len(folders) - keep)]
    for folder in removed:
        shutil.rmtree(folder)
    return removed


def backup_restore(*, folder, user: User | None = None) -> tuple[Backup, list[str]]:
    """Restore a backup into the configured, empty database and media folder, verify every table's
    row count and checksum and the media files against its manifest, and record the restore (with
    what differs, if anything) in the restored trail. Returns (backup, differences)."""
    from .. import backups

    backup, problems = backups.restore_backup(folder)
    audit_record(
        action=AuditActionChoices.RESTORE,
        user=user,
        outcome=AuditOutcomeChoices.FAILURE if problems else AuditOutcomeChoices.SUCCESS,
        detail={
            "folder": backup.folder.name,
            "created": backup.manifest["created"],
            "tables": len(backup.manifest["tables"]),
            "rows": backup.rows,
            "differences": problems[:50],
        },
    )
    return backup, problems
