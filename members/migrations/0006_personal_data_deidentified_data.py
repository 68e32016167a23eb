"""Existing persons, history rows and roster change items converted: see 0005."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import ExtractYear

from mobilization.masking import ID_MASK_HIDDEN, mask_id_number
from mobilization.migration_ops import encrypt_clear_columns, reencrypt_legacy_tokens

PERSONS = ("members.Person", "members.HistoricalPerson")
ITEMS = ("members.RosterChangeItem", "members.HistoricalRosterChangeItem")


def _remask(obj, clear):
    # A number made by the statistics scale benchmark is not a real one: re-mask what was shown.
    old = obj.id_number_masked
    obj.id_number_masked = mask_id_number(clear) if len(clear) == 18 else f"{old[:6]}{'*' * ID_MASK_HIDDEN}{old[-1:]}"
    return ["id_number_masked"]


def convert(apps, schema_editor):
    for label in PERSONS:
        encrypt_clear_columns(apps, label, {"phone": "phone_hash", "emergency_contact_phone": None})
        apps.get_model(label)._base_manager.update(birth_year=ExtractYear("birth_date"))
        reencrypt_legacy_tokens(apps, label, "id_number_encrypted", "id_number_hash", extra=_remask)
    Person = apps.get_model("members.Person")
    for label in ITEMS:
        Item = apps.get_model(label)
        reencrypt_legacy_tokens(apps, label, "id_number_encrypted", "id_number_hash", extra=_remask)
        # An edit or removal names an existing person: its hash is the person's (now HMAC-SM3).
        Item._base_manager.filter(id_number_encrypted="", person__isnull=False).update(
            id_number_hash=Subquery(Person._base_manager.filter(pk=OuterRef("person_id")).values("id_number_hash")[:1])
        )
        items = []
        for item in Item._base_manager.order_by("pk").iterator(chunk_size=1000):
            birth = item.data.pop("birth_date", None)
            if birth:
                item.data["birth_year"] = int(birth[:4])
            items.append(item)  # saving data and before seals the phones they hold
        Item._base_manager.bulk_update(items, ["data", "before"], batch_size=1000)


class Migration(migrations.Migration):
    # Apart from the schema change: PostgreSQL refuses to alter or index a table in the
    # transaction that has just rewritten its rows.
    dependencies = [
        ("members", "0005_personal_data_deidentified"),
    ]

    operations = [
        migrations.RunPython(convert, migrations.RunPython.noop),
    ]
