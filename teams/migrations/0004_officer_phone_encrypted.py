"""A standby duty officer's phone encrypted (SM4) and found by a keyed hash."""

import mobilization.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0003_taxonomy_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalstandbyduty",
            name="officer_phone_hash",
            field=mobilization.fields.KeyedHashField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                source="officer_phone",
                verbose_name="duty officer phone hash",
            ),
        ),
        migrations.AddField(
            model_name="standbyduty",
            name="officer_phone_hash",
            field=mobilization.fields.KeyedHashField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                source="officer_phone",
                verbose_name="duty officer phone hash",
            ),
        ),
        migrations.AlterField(
            model_name="historicalstandbyduty",
            name="officer_phone",
            field=mobilization.fields.EncryptedCharField(max_length=20, verbose_name="duty officer phone"),
        ),
        migrations.AlterField(
            model_name="standbyduty",
            name="officer_phone",
            field=mobilization.fields.EncryptedCharField(max_length=20, verbose_name="duty officer phone"),
        ),
    ]
