"""Creates and uploads carried out once per client key (the `Idempotency-Key` request header).

A phone in a basement queues its inspection draft and sends it when the signal returns; when the
answer is lost on the way back it sends the same request again. With the header, the second
request answers the first result (rendered afresh for the user) and creates nothing.

    class ReportViewSet(IdempotentCreateMixin, BaseViewSet):   # `create` honours the header
        ...
        @action(detail=True, methods=["post"])
        def media(self, request, pk=None):
            return self.idempotent(request, lambda: self._upload(request), many=True,
                                   serializer_class=MediaSerializer)

The key is kept per user and endpoint, with a unique constraint: two copies of a request racing
each other meet at that row, and the second answers what the first made. A request that fails
(4xx, 5xx) keeps no key, so the client may send it again once it is corrected.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from ..models import IdempotencyKey

__all__ = ["HEADER", "IdempotentCreateMixin"]

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100


class IdempotentCreateMixin:
    """Honours `Idempotency-Key` on `create`; `idempotent()` wraps any other creating action."""

    def create(self, request, *args, **kwargs):
        parent = super().create
        return self.idempotent(request, lambda: parent(request, *args, **kwargs))

    def idempotent(self, request, produce, *, many=False, serializer_class=None):
        """Run `produce()` (which answers a Response whose data holds the ids made) once per key."""
        key = (request.headers.get(HEADER) or "").strip()
        if not key:
            return produce()
        if len(key) > MAX_KEY_LENGTH:
            raise ValidationError({"detail": [_("The Idempotency-Key header is too long.")]})
        lookup = {"user": request.user, "endpoint": request.path[:200], "key": key}
        done = IdempotencyKey.objects.filter(**lookup).first()
        if done is not None:
            return self._replay(done, serializer_class)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(**lookup, many=many)
            except IntegrityError:
                # A twin of this request holds the key (and the database made us wait until it
                # committed): answer what it made.
                done = None
            else:
                done = record
            if done is None:
                return self._replay(IdempotencyKey.objects.get(**lookup), serializer_class)
            response = produce()
            if not 200 <= response.status_code < 300:
                transaction.set_rollback(True)
                return response
            rows = response.data if many else [response.data]
            model = (serializer_class or self.get_serializer_class()).Meta.model
            pk_name = model._meta.pk.name
            record.status_code = response.status_code
            record.object_ids = [row.get(pk_name, row.get("id")) for row in rows]
            record.model = model._meta.label
            record.save(update_fields=["status_code", "object_ids", "model"])
        response["Idempotency-Replayed"] = "false"
        return response

    def _replay(self, record, serializer_class):
        serializer_class = serializer_class or self.get_serializer_class()
        model = serializer_class.Meta.model
        found = {obj.pk: obj for obj in model.objects.visible_to(self.request.user).filter(pk__in=record.object_ids)}
        if len(found) != len(record.object_ids):
            # Made, then deleted (a draft thrown away): it is not made again.
            raise NotFound(_("What this request made the first time no longer exists."))
        objects = [found[pk] for pk in record.object_ids]
        context = self.get_serializer_context()
        data = serializer_class(objects if record.many else objects[0], many=record.many, context=context).data
        response = Response(data, status=record.status_code or status.HTTP_201_CREATED)
        response["Idempotency-Replayed"] = "true"
        return response
