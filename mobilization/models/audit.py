from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import SUPERUSER_ROLE, AuditActionChoices, AuditOutcomeChoices, RoleChoices
from ..querysets import Scope, ScopedQuerySet
from .base import ScopedModel

__all__ = ["AuditArchive", "AuditChainHead", "AuditEvent", "AuditEventImmutable", "GENESIS_HASH"]

# The hash the first event of the chain is linked to.
GENESIS_HASH = "0" * 64


class AuditEventImmutable(Exception):
    """Raised by every attempt to change or delete an audit event outside the retention archiver."""


class AuditEventQuerySet(ScopedQuerySet):
    """Events are appended, never changed; only the retention archiver removes them."""

    def update(self, **kwargs):
        raise AuditEventImmutable("audit events cannot be changed")

    def delete(self):
        raise AuditEventImmutable("audit events cannot be deleted")

    # bulk_update goes through update(); _update is what save() of an existing row would use.
    def _update(self, values):
        raise AuditEventImmutable("audit events cannot be changed")

    def record_changes(self):
        """The events that are changes of a record: created, changed, deleted, roles changed."""
        A = AuditActionChoices
        return self.filter(action__in=[A.CREATE, A.UPDATE, A.DELETE, A.ROLE_CHANGE])

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if any(not obj.hash for obj in objs):
            raise AuditEventImmutable("audit events are written through mobilization.audit.chain")
        return super().bulk_create(objs, *args, **kwargs)

    def archive_delete(self):
        """The retention archiver's removal, after the events are safely in a signed archive."""
        return super().delete()


class AuditEvent(ScopedModel):
    """One entry of the audit trail (GB/T 22239-2019 §8.1.4.3): who (user, name and role at the
    time), when, from where, did what to which object, with what outcome and, for a change, the
    fields changed (personal data masked). Each event carries a keyed hash over its content and
    the hash of the event before it, so a changed, removed or inserted row breaks the chain
    (`manage.py verify_audit_chain`)."""

    # Stamped by the chain writer under the chain lock, so time order is chain order.
    created = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    updated = None  # an event is never updated
    # No database constraint and no cascade: deleting a user must not touch the trail (the
    # user id is part of each event's hash), and the event keeps the username and name anyway.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditActionChoices.choices, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=AuditOutcomeChoices.choices, default=AuditOutcomeChoices.SUCCESS
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("fields changed"), default=dict, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous event's hash"), max_length=64, default="", editable=False)
    hash = models.CharField(_("hash"), max_length=64, default="", editable=False)

    objects = AuditEventQuerySet.as_manager()
    scope = Scope(audit=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="auditevent_object")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        # Beijing time, as every field of the admin shows it.
        when = f"{timezone.localtime(self.created):%Y-%m-%d %H:%M:%S}"
        return " ".join(filter(None, [when, self.full_name or self.username, str(self.get_action_display())]))

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEventImmutable("audit events cannot be changed")
        if not self.hash:
            # Only the chain writer (mobilization.audit.chain) links an event into the chain.
            raise AuditEventImmutable("audit events are written through mobilization.audit.chain")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventImmutable("audit events cannot be deleted")

    @property
    def role_display(self):
        if self.role == SUPERUSER_ROLE:
            return _("Superuser")
        return RoleChoices(self.role).label if self.role in RoleChoices.values else self.role


class AuditChainHead(models.Model):
    """The one row that names the last event of the chain. Writers lock it for the rest of their
    transaction, so two writers never link to the same predecessor (the chain never forks)."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_event_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        default_permissions = ()
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"{self.last_event_id}: {self.last_hash}"


class AuditArchive(models.Model):
    """Events moved past retention into a signed archive file: the chain's new starting point."""

    created = models.DateTimeField(_("archived at"), default=timezone.now)
    file_name = models.CharField(_("file"), max_length=200)
    first_event_id = models.BigIntegerField(_("first event"))
    last_event_id = models.BigIntegerField(_("last event"))
    count = models.PositiveIntegerField(_("events"))
    first_prev_hash = models.CharField(_("hash before the first event"), max_length=64)
    last_hash = models.CharField(_("hash of the last event"), max_length=64)
    signature = models.CharField(_("signature"), max_length=64)

    class Meta:
        ordering = ["last_event_id"]
        default_permissions = ("view",)
        verbose_name = _("audit archive")
        verbose_name_plural = _("audit archives")

    def __str__(self):
        return self.file_name
