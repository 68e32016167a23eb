"""What the trail records without a service asking: every change of a record.

- Every model with history (`BaseModel`): one event per historical record, with the fields
  changed against the record's previous version; the bulk paths (`bulk_create_with_history`,
  `bulk_update_with_history`) write all their events in one insert, with two reads per model.
- Accounts, groups and beat schedules, which have no history: their saves and deletions,
  and the membership of groups and permissions (role and permission changes).
Personal data in the values is masked (`mobilization.masking`).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Max
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import translation
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from ..choices import SUPERUSER_ROLE, AuditActionChoices, AuditOutcomeChoices
from ..masking import mask_field
from ..models.audit import AuditEvent
from ..presentation import full_name
from ..querysets import user_profile
from . import chain

__all__ = ["actor_fields", "connect", "current_request", "new_event"]

A = AuditActionChoices
HISTORY_ACTIONS = {"+": A.CREATE, "~": A.UPDATE, "-": A.DELETE}
# Stamps that change with every save and say nothing an event does not already say.
NOISE = {"created", "updated"}
# Fields whose change is a change of someone's role: the event is a role change.
ROLE_FIELDS = {"mobilization.UserProfile": {"role"}}
# Models without history whose changes are audited, and the fields of theirs that are noise.
TRACKED_WITHOUT_HISTORY = {
    "auth.User": {"last_login"},
    "auth.Group": set(),
    "django_celery_beat.PeriodicTask": {"last_run_at", "total_run_count", "date_changed", "no_changes"},
    "django_celery_beat.CrontabSchedule": set(),
    "django_celery_beat.IntervalSchedule": set(),
    "django_celery_beat.SolarSchedule": set(),
    "django_celery_beat.ClockedSchedule": set(),
}


def current_request():
    """The request being served in this thread (simple-history's middleware keeps it), if any."""
    return getattr(HistoricalRecords.context, "request", None)


def actor_fields(user):
    """Who acted, as the event keeps it: the user, their username, full name and role at the time."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    profile = user_profile(user)
    role = SUPERUSER_ROLE if user.is_superuser else (profile.role if profile else "")
    return {"user_id": user.pk, "username": user.get_username(), "full_name": full_name(user), "role": role}


def new_event(*, action, user=None, username="", request=None, obj=None, outcome=AuditOutcomeChoices.SUCCESS,
              changes=None, detail=None, ip_address=None, object_repr=None, actor=None):  # fmt: skip
    """An unsaved event (`chain.append` saves it). `actor`, when given, is `actor_fields` of the
    user already worked out (a bulk path names the same user for every row)."""
    from ..services import client_ip

    if user is None and request is not None:
        user = getattr(request, "user", None)
    actor = dict(actor_fields(user) if actor is None else actor)
    if username:
        actor["username"] = username
    event = AuditEvent(
        action=action,
        outcome=outcome,
        ip_address=ip_address or client_ip(request),
        changes=changes or {},
        detail=detail or {},
        **actor,
    )
    if obj is not None:
        event.object_type = obj._meta.label
        event.object_id = str(obj.pk) if obj.pk is not None else ""
        event.object_repr = _repr(obj) if object_repr is None else object_repr
    return event


def _repr(obj):
    """str(obj), or its kind and id when its str fails (a decimal given as an int, not yet read
    back): an audit event never makes a save fail. Named in the site's language, whichever the
    acting user reads (or none, in a migration): a role's group is its role's label."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return str(obj)
    except Exception:  # noqa: BLE001  (whatever a model's __str__ raises)
        return f"{obj._meta.verbose_name} #{obj.pk}"


def _cheap_repr(obj):
    """str(obj) when it cannot need a query (every relation loaded or empty); otherwise its name
    or title, or its kind and id: a bulk path must not query once per row (a membership's str
    reads its person and its team)."""
    relations = [f for f in obj._meta.concrete_fields if f.is_relation]
    if all(getattr(obj, f.attname) is None or f.is_cached(obj) for f in relations):
        return _repr(obj)
    for name in ("name", "title"):
        if isinstance(getattr(obj, name, None), str):
            return getattr(obj, name)
    return f"{obj._meta.verbose_name} #{obj.pk}"


def _value(field, row):
    return getattr(row, field.attname) if row is not None else None


def _pairs(fields, old, new, *, noise=NOISE):
    """{field name: [old, new]} for the fields that differ (all set ones when one side is None),
    masked where they are personal data."""
    changes = {}
    for field in fields:
        if field.primary_key or field.name in noise or field.attname in noise:
            continue  # the id is the event's object id already
        if field.name.endswith("_hash"):
            continue  # a keyed hash follows its encrypted field, whose change is shown already
        before = old.get(field.attname) if old is not None else None
        after = new.get(field.attname) if new is not None else None
        if before == after or (old is None and after in (None, "")) or (new is None and before in (None, "")):
            continue
        changes[field.name] = [mask_field(field.name, before, field), mask_field(field.name, after, field)]
    return changes


def _row_values(fields, row):
    return {f.attname: _value(f, row) for f in fields} if row is not None else None


def _previous_rows(historical, rows, using):
    """The historical record before each of `rows` (changes and deletions), read in two queries
    per 900 records whatever their number."""
    pk_name = historical._meta.get_field(historical.instance_type._meta.pk.name).attname
    wanted = sorted({getattr(r, pk_name) for r in rows if r.history_type != "+"})
    first_new = min(r.history_id for r in rows)
    found = {}
    for start in range(0, len(wanted), 900):
        latest = (
            historical.objects.using(using)
            .filter(**{f"{pk_name}__in": wanted[start : start + 900]}, history_id__lt=first_new)
            .values(pk_name)
            .annotate(last=Max("history_id"))
            .values("last")
        )
        for previous in historical.objects.using(using).filter(history_id__in=latest):
            found[getattr(previous, pk_name)] = previous
    return found, pk_name


def _history_events(historical, rows, instances, using, *, request, cheap):
    fields = historical.tracked_fields
    label = historical.instance_type._meta.label
    role_fields = ROLE_FIELDS.get(label, set())
    previous, pk_name = _previous_rows(historical, rows, using)
    events, actors = [], {}
    for row, instance in zip(rows, instances, strict=True):
        before = previous.get(getattr(row, pk_name)) if row.history_type != "+" else None
        new = _row_values(fields, row) if row.history_type != "-" else None
        old = _row_values(fields, before if row.history_type == "~" else row if row.history_type == "-" else None)
        changes = _pairs(fields, old, new)
        if row.history_type == "~" and not changes:
            continue  # saved without a change: nothing happened to the record
        action = HISTORY_ACTIONS[row.history_type]
        if row.history_type != "-" and role_fields & set(changes):
            action = A.ROLE_CHANGE
        user = row.history_user  # set by simple-history: no query
        key = user.pk if user is not None else None
        if key not in actors:
            actors[key] = actor_fields(user)
        events.append(
            new_event(
                action=action,
                request=request,
                obj=instance,
                changes=changes,
                detail={"reason": row.history_change_reason} if row.history_change_reason else None,
                object_repr=_cheap_repr(instance) if cheap else None,
                actor=actors[key],
            )
        )
    return events


def on_historical_record(sender, instance, history_instance, using=None, **kwargs):
    db = history_instance._state.db or using
    events = _history_events(sender, [history_instance], [instance], db, request=current_request(), cheap=False)
    chain.append(events, using=db or "default")


def on_bulk_history(historical, rows, instances):
    """The events of simple-history's bulk paths (which send no signal), in one insert."""
    db = rows[0]._state.db or "default"
    events = _history_events(historical, rows, instances, db, request=current_request(), cheap=True)
    chain.append(events, using=db)


# --- records without history: accounts, groups, beat schedules ---------------------------------


def _acting_user():
    request = current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _tracked_fields(model):
    noise = TRACKED_WITHOUT_HISTORY[model._meta.label] | NOISE
    return [f for f in model._meta.concrete_fields if f.name not in noise and f.attname not in noise]


def on_tracked_pre_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    instance._audit_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    fields = _tracked_fields(sender)
    if update_fields is not None and not {f.name for f in fields} & set(update_fields):
        return  # only noise is saved (a login's last_login, a beat run's count)
    instance._audit_before = (
        sender._base_manager.using(using).filter(pk=instance.pk).values(*[f.attname for f in fields]).first()
    )


def _write(action, instance, changes, using):
    request = current_request()
    event = new_event(action=action, user=_acting_user(), request=request, obj=instance, changes=changes)
    chain.append([event], using=using or "default")


def on_tracked_post_save(sender, instance, created, raw=False, using=None, **kwargs):
    if raw:
        return
    fields = _tracked_fields(sender)
    before = None if created else getattr(instance, "_audit_before", None)
    if not created and before is None:
        return
    changes = _pairs(fields, before, _row_values(fields, instance), noise=set())
    if changes or created:
        _write(A.CREATE if created else A.UPDATE, instance, changes, using)


def on_tracked_post_delete(sender, instance, using=None, **kwargs):
    fields = _tracked_fields(sender)
    _write(A.DELETE, instance, _pairs(fields, _row_values(fields, instance), None, noise=set()), using)


def _names(queryset):
    model = queryset.model
    if model._meta.label == "auth.Permission":
        return sorted(f"{app}.{code}" for app, code in queryset.values_list("content_type__app_label", "codename"))
    if model._meta.label == "auth.Group":
        return sorted(queryset.values_list("name", flat=True))
    return sorted(queryset.values_list(model.USERNAME_FIELD, flat=True))


def _m2m_accessors():
    User = get_user_model()
    return {
        User.groups.through: ("groups", "user_set"),
        User.user_permissions.through: ("user_permissions", "user_set"),
        Group.permissions.through: ("permissions", "group_set"),
    }


def on_roles_changed(sender, instance, action, reverse, model, pk_set, using=None, **kwargs):
    """A user's groups or permissions, or a group's permissions, changed: one role-change event
    on the object changed, with the names before and after."""
    accessor = _m2m_accessors()[sender][1 if reverse else 0]
    if action in ("pre_add", "pre_remove", "pre_clear"):
        if action != "pre_clear" and not pk_set:
            return
        instance._audit_m2m_before = _names(getattr(instance, accessor).using(using).all())
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    before = getattr(instance, "_audit_m2m_before", None)
    if before is None:
        return
    del instance._audit_m2m_before
    after = _names(getattr(instance, accessor).using(using).all())
    if after != before:
        _write(A.ROLE_CHANGE, instance, {accessor: [before, after]}, using)


def connect():
    from django.apps import apps

    post_create_historical_record.connect(on_historical_record, dispatch_uid="audit-history")
    for label in TRACKED_WITHOUT_HISTORY:
        try:
            model = apps.get_model(label)
        except LookupError:  # an app not installed
            continue
        uid = f"audit-{label}"
        pre_save.connect(on_tracked_pre_save, sender=model, dispatch_uid=uid)
        post_save.connect(on_tracked_post_save, sender=model, dispatch_uid=uid)
        post_delete.connect(on_tracked_post_delete, sender=model, dispatch_uid=uid)
    for through in _m2m_accessors():
        m2m_changed.connect(on_roles_changed, sender=through, dispatch_uid=f"audit-m2m-{through._meta.label}")
