"""Persons on the roster and their protected ID numbers: created, updated, revealed (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mobilization.choices import AuditActionChoices
from mobilization.crypto import decrypt, encrypt, keyed_hash
from mobilization.roles import may_reveal_id_number
from mobilization.services import audit_record
from mobilization.validators import (
    id_number_birth_date,
    id_number_sex,
    normalize_id_number,
    validate_id_number,
)

from ..masking import mask_id_number
from ..models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

    from mobilization.models import MemberUnit


def _id_number_fields(id_number):
    value = normalize_id_number(id_number)
    validate_id_number(value)
    return {
        "id_number_encrypted": encrypt(value),
        "id_number_hash": keyed_hash(value),
        "id_number_masked": mask_id_number(value),
        "birth_date": id_number_birth_date(value),
        "sex": id_number_sex(value),
    }


def _set_id_number(person, id_number):
    try:
        values = _id_number_fields(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    clash = Person.objects.filter(id_number_hash=values["id_number_hash"]).exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError({"id_number": _("A person with this ID number is already on the roster.")})
    for name, value in values.items():
        setattr(person, name, value)


@transaction.atomic
def person_create(*, name: str, id_number: str, employer: MemberUnit, by: User | None = None, **fields: Any) -> Person:
    """Put a new person on the roster; the ID number is validated, encrypted and hashed."""
    person = Person(name=name, employer=employer, **fields)
    _set_id_number(person, id_number)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, by: User | None = None, id_number: str | None = None, **fields: Any) -> Person:
    for name, value in fields.items():
        setattr(person, name, value)
    if id_number:
        _set_id_number(person, id_number)
    person.full_clean()
    person.save()
    return person


def person_reveal_id_number(*, person: Person, by: User, request: HttpRequest | None = None) -> str:
    """The full ID number, for a user holding `members.reveal_id_number`; every reveal is audited."""
    if not may_reveal_id_number(by):
        raise PermissionError("members.reveal_id_number")
    value = decrypt(person.id_number_encrypted)
    audit_record(action=AuditActionChoices.REVEAL, request=request, user=by, obj=person, detail={"field": "id_number"})
    return value
