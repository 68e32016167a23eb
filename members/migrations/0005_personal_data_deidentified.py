"""Resident ID numbers de-identified and personal data encrypted with SM4 (issue 10).

In clear there remain only what the mask shows (region and check character), the birth year
and the sex; the full birth date goes. Phones are encrypted and hashed; the Fernet ciphertexts
of ID numbers become SM4 ones with HMAC-SM3 hashes. History rows are converted alike."""

import mobilization.fields
import mobilization.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_list_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalperson",
            name="birth_year",
            field=models.PositiveSmallIntegerField(default=1900, editable=False, verbose_name="birth year"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="phone_hash",
            field=mobilization.fields.KeyedHashField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                source="phone",
                verbose_name="mobile phone hash",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="birth_year",
            field=models.PositiveSmallIntegerField(default=1900, editable=False, verbose_name="birth year"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="person",
            name="phone_hash",
            field=mobilization.fields.KeyedHashField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                source="phone",
                verbose_name="mobile phone hash",
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="emergency_contact_phone",
            field=mobilization.fields.EncryptedCharField(
                blank=True,
                max_length=11,
                validators=[mobilization.validators.validate_mobile_phone],
                verbose_name="emergency contact phone",
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="id_number_encrypted",
            field=mobilization.fields.CiphertextField(
                editable=False, hash_field="id_number_hash", verbose_name="ID number (encrypted)"
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="phone",
            field=mobilization.fields.EncryptedCharField(
                blank=True,
                max_length=11,
                validators=[mobilization.validators.validate_mobile_phone],
                verbose_name="mobile phone",
            ),
        ),
        migrations.AlterField(
            model_name="historicalrosterchangeitem",
            name="before",
            field=mobilization.fields.SealedJSONField(
                default=dict, sealed_keys=("phone", "emergency_contact_phone"), verbose_name="current values"
            ),
        ),
        migrations.AlterField(
            model_name="historicalrosterchangeitem",
            name="data",
            field=mobilization.fields.SealedJSONField(
                default=dict, sealed_keys=("phone", "emergency_contact_phone"), verbose_name="proposed values"
            ),
        ),
        migrations.AlterField(
            model_name="historicalrosterchangeitem",
            name="id_number_encrypted",
            field=mobilization.fields.CiphertextField(
                editable=False, hash_field="id_number_hash", verbose_name="ID number (encrypted)"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="emergency_contact_phone",
            field=mobilization.fields.EncryptedCharField(
                blank=True,
                max_length=11,
                validators=[mobilization.validators.validate_mobile_phone],
                verbose_name="emergency contact phone",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number_encrypted",
            field=mobilization.fields.CiphertextField(
                editable=False, hash_field="id_number_hash", verbose_name="ID number (encrypted)"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=mobilization.fields.EncryptedCharField(
                blank=True,
                max_length=11,
                validators=[mobilization.validators.validate_mobile_phone],
                verbose_name="mobile phone",
            ),
        ),
        migrations.AlterField(
            model_name="rosterchangeitem",
            name="before",
            field=mobilization.fields.SealedJSONField(
                default=dict, sealed_keys=("phone", "emergency_contact_phone"), verbose_name="current values"
            ),
        ),
        migrations.AlterField(
            model_name="rosterchangeitem",
            name="data",
            field=mobilization.fields.SealedJSONField(
                default=dict, sealed_keys=("phone", "emergency_contact_phone"), verbose_name="proposed values"
            ),
        ),
        migrations.AlterField(
            model_name="rosterchangeitem",
            name="id_number_encrypted",
            field=mobilization.fields.CiphertextField(
                editable=False, hash_field="id_number_hash", verbose_name="ID number (encrypted)"
            ),
        ),
    ]
