"""The API's shared bases: app code declares a serializer and a viewset; these act.

- `BriefRelatedField` writes a relation as a primary key and reads it as {id, display, url};
  it only accepts objects the requesting user may see.
- `BaseModelSerializer` gives every object `url` and `display`, and masks the phones its
  `Meta.masked_phones` names for roles that do not ring people.
- `BaseViewSet` scopes the queryset with `visible_to`, lets updates and deletes reach only
  what is `editable` by the user (403 for what they only see), derives `select_related` from
  the serializer's brief relations (so lists never query once per row), holds every nested
  list of related rows to what the user may see (`scoped_prefetches`), runs writes in a
  transaction and re-checks that what was written is still in the writer's own scope.
"""

import copy
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from ..fields import EncryptedCharField, SealedJSONField
from ..masking import mask_phone, sees_phone
from ..querysets import editable
from ..validators import YEAR_RANGE
from .idempotency import IdempotentCreateMixin

__all__ = ["BaseModelSerializer", "BaseViewSet", "BriefRelatedField", "api_url", "register_model_route"]

MODEL_ROUTES = {}


def register_model_route(model, basename):
    MODEL_ROUTES[model] = basename


# A key no row has, reversed once per route and request; each row's URL is then the two halves
# around it with the row's key between (a page of 500 rows with five relations each would
# otherwise resolve and build 3,000 URLs one by one).
URL_KEY_STANDIN = "8080808080808080808"


def api_url(obj, request=None):
    model = type(obj)
    basename = MODEL_ROUTES.get(model) or MODEL_ROUTES.get(getattr(model, "_meta", None) and model._meta.concrete_model)
    if not basename:
        return None
    pk = obj.pk
    # Only keys that reverse() writes unchanged (whole numbers, digit codes) take the short way.
    if request is None or not (type(pk) is int or (type(pk) is str and pk.isascii() and pk.isdigit())):
        return reverse(f"api:{basename}-detail", args=[pk], request=request)
    try:
        halves = request._api_url_halves
    except AttributeError:
        halves = request._api_url_halves = {}
    if basename not in halves:
        try:
            url = reverse(f"api:{basename}-detail", args=[URL_KEY_STANDIN], request=request)
        except NoReverseMatch:  # a route whose key pattern refuses the stand-in: reversed row by row
            halves[basename] = None
        else:
            halves[basename] = url.rsplit(URL_KEY_STANDIN, 1)
    if halves[basename] is None:
        return reverse(f"api:{basename}-detail", args=[pk], request=request)
    head, tail = halves[basename]
    return f"{head}{pk}{tail}"


class BriefRelatedField(serializers.PrimaryKeyRelatedField):
    """A relation: written as its primary key, read as {id, display, url}."""

    def use_pk_only_optimization(self):
        return False

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is not None and hasattr(queryset, "visible_to"):
            # Only what the user may see can be named: an id beyond their scope "does not exist".
            queryset = queryset.visible_to(request.user)
        return queryset

    def to_representation(self, value):
        return {"id": value.pk, "display": str(value), "url": api_url(value, self.context.get("request"))}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("id")
        return super().to_internal_value(data)


class BaseModelSerializer(serializers.ModelSerializer):
    """Every object carries its API `url` and a human `display`; relations are brief."""

    serializer_related_field = BriefRelatedField
    url = serializers.SerializerMethodField()
    display = serializers.SerializerMethodField()

    def get_url(self, obj) -> str | None:
        return api_url(obj, self.context.get("request"))

    def get_display(self, obj) -> str:
        return str(obj)

    def to_representation(self, instance):
        """Phones named in `Meta.masked_phones` go out masked to roles that do not ring people."""
        data = super().to_representation(instance)
        names = getattr(self.Meta, "masked_phones", ())
        if names:
            # Whether the reader sees phones whole is asked once per serializer (a list's rows
            # share theirs), not once per phone of every row.
            try:
                whole = self._phones_whole
            except AttributeError:
                user = getattr(self.context.get("request"), "user", None)
                whole = self._phones_whole = sees_phone(user, self.Meta.model)
            if not whole:
                for name in names:
                    if name in data:
                        data[name] = mask_phone(data[name])
        return data

    def validate(self, attrs):
        """Run the model's own `clean()` so the API refuses what the admin refuses."""
        attrs = super().validate(attrs)
        model = self.Meta.model
        fields = {k: v for k, v in attrs.items() if not isinstance(v, list)}
        # A copy: the real instance is the service's to change, and a service may compare the
        # values asked for with those saved (moving a report with orders, say).
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in fields.items():
            setattr(instance, name, value)
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        self.validate_constraints(instance)
        return attrs

    def validate_constraints(self, instance):
        """Check the model's unique rules before the database does, each refusal under a field the
        client wrote (a racing duplicate still reaches the exception handler as an IntegrityError)."""
        # A value still unset is the service's to fill in: a rule on it cannot be judged yet.
        unknown = {f.name for f in instance._meta.concrete_fields if getattr(instance, f.attname) is None}
        errors = {}
        for constraint in instance._meta.constraints:
            try:
                constraint.validate(type(instance), instance, exclude=unknown)
            except DjangoValidationError as exc:
                names = getattr(constraint, "fields", ())
                writable = [n for n in names if n in self.fields and not self.fields[n].read_only]
                key = writable[0] if writable else api_settings.NON_FIELD_ERRORS_KEY
                errors.setdefault(key, []).extend(exc.messages)
        if errors:
            raise serializers.ValidationError(errors)

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_name == "year" and issubclass(field_class, serializers.IntegerField):
            # The database would hold year 20640; the dates computed from it would not.
            kwargs["min_value"], kwargs["max_value"] = YEAR_RANGE
        return field_class, kwargs


@cache
def brief_relations(serializer_class):
    """select_related / prefetch_related paths for the brief relations a serializer reads."""
    select, prefetch = [], []
    for name, field in serializer_class().fields.items():
        source = (field.source or name).replace(".", "__")
        if isinstance(field, BriefRelatedField):
            select.append(source)
        elif isinstance(field, serializers.ManyRelatedField) and isinstance(field.child_relation, BriefRelatedField):
            prefetch.append(source)
    return tuple(select), tuple(prefetch)


@cache
def brief_deferred(serializer_class):
    """The encrypted columns of the rows a serializer shows only as brief relations ({id, display,
    url}): a read leaves them out of its SELECT, so a page of 500 memberships does not decrypt
    1,000 phones of persons it names and never shows."""
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    if model is None:
        return ()
    deferred = []
    for path in brief_relations(serializer_class)[0]:
        related = model
        try:
            for part in path.split("__"):
                related = related._meta.get_field(part).related_model
        except FieldDoesNotExist:
            continue
        if related is None:
            continue
        deferred += [
            f"{path}__{field.name}"
            for field in related._meta.concrete_fields
            if isinstance(field, (EncryptedCharField, SealedJSONField))
        ]
    return tuple(deferred)


@cache
def nested_lists(serializer_class):
    """(path, model) of every list of related rows the serializer nests: brief many-relations
    and nested serializers of a scoped model, read through a relation of the serializer's model."""
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    if model is None:
        return ()
    found = []
    for name, field in serializer_class().fields.items():
        if field.write_only:
            continue
        source = field.source or name
        if not isinstance(field, (serializers.ManyRelatedField, serializers.ListSerializer)):
            continue
        try:
            relation = model._meta.get_field(source)
        except FieldDoesNotExist:
            continue  # a property or method: not a relation the database can scope
        if relation.is_relation and (relation.many_to_many or relation.one_to_many):
            if hasattr(relation.related_model.objects.all(), "visible_to"):
                found.append((source, relation.related_model))
    return tuple(found)


def scoped_prefetches(serializer_class, user, declared=()):
    """Prefetches that hold, in each nested list, only the rows `user` may see (NetBox's
    restricted prefetch): a related list inside an object is not a side door to the rows beyond
    the reader's scope. Declared paths that go deeper (`teams__unit`) are kept after them."""
    brief_lists = brief_relations(serializer_class)[1]
    scoped = {}
    for path, model in nested_lists(serializer_class):
        queryset = model.objects.visible_to(user)
        brief = getattr(model, "brief_fields", None)
        if brief and path in brief_lists:
            # A list shown only as {id, display, url}: its rows load what their display reads.
            queryset = queryset.only("pk", *brief)
        scoped[path] = Prefetch(path, queryset=queryset)
    rest = [p for p in declared if not (isinstance(p, str) and p in scoped)]
    return [*scoped.values(), *rest]


class BaseViewSet(IdempotentCreateMixin, viewsets.ModelViewSet):
    """A scoped model viewset (its creates honour an `Idempotency-Key` header). Subclasses declare `queryset`, `serializer_class`, `filterset_class`
    and, beyond the brief relations found automatically, any other `select_related` / `prefetch_related`."""

    select_related = ()
    prefetch_related = ()

    #: Read-only actions whose GETs may read from the replica (mobilization/dbrouter.py).
    replica_actions = ("list", "export")

    #: Actions that change or delete the record itself: they reach only the user's own scope.
    record_writes = ("update", "partial_update", "destroy")

    def get_queryset(self):
        queryset = super().get_queryset().visible_to(self.request.user)
        serializer_class = self.get_serializer_class()
        select, prefetch = brief_relations(serializer_class)
        prefetch = (*prefetch, *self.prefetch_related)
        if self.request.method in SAFE_METHODS:
            # Reads show only what the reader may see inside an object; a write hands its service
            # the whole object (an exercise's attendance is expected of all its teams).
            prefetch = scoped_prefetches(serializer_class, self.request.user, prefetch)
            queryset = queryset.defer(*brief_deferred(serializer_class))
        return queryset.select_related(*select, *self.select_related).prefetch_related(*prefetch)

    def get_object(self):
        instance = super().get_object()
        if self.action in self.record_writes and not editable(instance, self.request.user):
            # Seen (through a related row), so not a 404; but not the user's to change.
            raise PermissionDenied(
                _("You can see this record but not change it: it is kept by another office or unit.")
            )
        return instance

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.instance = self.ensure_editable(self.create_object(serializer))

    def perform_update(self, serializer):
        with transaction.atomic():
            # A service may return a fresh copy (read under its lock): the answer shows that.
            serializer.instance = self.ensure_editable(self.update_object(serializer))

    def create_object(self, serializer):
        """Override to call the app's service instead of a plain save."""
        return serializer.save()

    def update_object(self, serializer):
        return serializer.save()

    def ensure_editable(self, instance):
        """The written object, if its writer may still edit it: a write may not move an object out of its
        writer's own scope (the transaction is rolled back if it would)."""
        if not editable(instance, self.request.user):
            raise serializers.ValidationError({"detail": [_("The result would be outside your scope.")]})
        return instance
