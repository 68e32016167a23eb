"""Resident ID numbers de-identified and personal data encrypted with SM4 (issue 10).

In clear there remain only what the mask shows (region and check character), the birth year
and the sex; the full birth date goes. Phones are encrypted and hashed; the Fernet ciphertexts
of ID numbers become SM4 ones with HMAC-SM3 hashes. History rows are converted alike."""

import mobilization.fields
import mobilization.validators
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

    dependencies = [
        ('members', '0004_list_order_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalperson',
            name='birth_year',
            field=models.PositiveSmallIntegerField(default=1900, editable=False, verbose_name='birth year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalperson',
            name='phone_hash',
            field=mobilization.fields.KeyedHashField(blank=True, db_index=True, default='', editable=False, max_length=64, source='phone', verbose_name='mobile phone hash'),
        ),
        migrations.AddField(
            model_name='person',
            name='birth_year',
            field=models.PositiveSmallIntegerField(default=1900, editable=False, verbose_name='birth year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='person',
            name='phone_hash',
            field=mobilization.fields.KeyedHashField(blank=True, db_index=True, default='', editable=False, max_length=64, source='phone', verbose_name='mobile phone hash'),
        ),
        migrations.AlterField(
            model_name='historicalperson',
            name='emergency_contact_phone',
            field=mobilization.fields.EncryptedCharField(blank=True, max_length=11, validators=[mobilization.validators.validate_mobile_phone], verbose_name='emergency contact phone'),
        ),
        migrations.AlterField(
            model_name='historicalperson',
            name='id_number_encrypted',
            field=mobilization.fields.CiphertextField(editable=False, hash_field='id_number_hash', verbose_name='ID number (encrypted)'),
        ),
        migrations.AlterField(
            model_name='historicalperson',
            name='phone',
            field=mobilization.fields.EncryptedCharField(blank=True, max_length=11, validators=[mobilization.validators.validate_mobile_phone], verbose_name='mobile phone'),
        ),
        migrations.AlterField(
            model_name='historicalrosterchangeitem',
            name='before',
            field=mobilization.fields.SealedJSONField(default=dict, sealed_keys=('phone', 'emergency_contact_phone'), verbose_name='current values'),
        ),
        migrations.AlterField(
            model_name='historicalrosterchangeitem',
            name='data',
            field=mobilization.fields.SealedJSONField(default=dict, sealed_keys=('phone', 'emergency_contact_phone'), verbose_name='proposed values'),
        ),
        migrations.AlterField(
            model_name='historicalrosterchangeitem',
            name='id_number_encrypted',
            field=mobilization.fields.CiphertextField(editable=False, hash_field='id_number_hash', verbose_name='ID number (encrypted)'),
        ),
        migrations.AlterField(
            model_name='person',
            name='emergency_contact_phone',
            field=mobilization.fields.EncryptedCharField(blank=True, max_length=11, validators=[mobilization.validators.validate_mobile_phone], verbose_name='emergency contact phone'),
        ),
        migrations.AlterField(
            model_name='person',
            name='id_number_encrypted',
            field=mobilization.fields.CiphertextField(editable=False, hash_field='id_number_hash', verbose_name='ID number (encrypted)'),
        ),
        migrations.AlterField(
            model_name='person',
            name='phone',
            field=mobilization.fields.EncryptedCharField(blank=True, max_length=11, validators=[mobilization.validators.validate_mobile_phone], verbose_name='mobile phone'),
        ),
        migrations.AlterField(
            model_name='rosterchangeitem',
            name='before',
            field=mobilization.fields.SealedJSONField(default=dict, sealed_keys=('phone', 'emergency_contact_phone'), verbose_name='current values'),
        ),
        migrations.AlterField(
            model_name='rosterchangeitem',
            name='data',
            field=mobilization.fields.SealedJSONField(default=dict, sealed_keys=('phone', 'emergency_contact_phone'), verbose_name='proposed values'),
        ),
        migrations.AlterField(
            model_name='rosterchangeitem',
            name='id_number_encrypted',
            field=mobilization.fields.CiphertextField(editable=False, hash_field='id_number_hash', verbose_name='ID number (encrypted)'),
        ),
        migrations.RunPython(convert, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='historicalperson',
            name='birth_date',
        ),
        migrations.RemoveField(
            model_name='person',
            name='birth_date',
        ),
    ]
