"""A facility's contact phone encrypted (SM4) and found by a keyed hash."""

import mobilization.fields
import mobilization.validators
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_list_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="facility",
            name="responsible_phone_hash",
            field=mobilization.fields.KeyedHashField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                source="responsible_phone",
                verbose_name="contact phone hash",
            ),
        ),
        migrations.AddField(
            model_name="historicalfacility",
            name="responsible_phone_hash",
            field=mobilization.fields.KeyedHashField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                source="responsible_phone",
                verbose_name="contact phone hash",
            ),
        ),
        migrations.AlterField(
            model_name="facility",
            name="responsible_phone",
            field=mobilization.fields.EncryptedCharField(
                blank=True,
                max_length=11,
                validators=[mobilization.validators.validate_mobile_phone],
                verbose_name="contact phone",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfacility",
            name="responsible_phone",
            field=mobilization.fields.EncryptedCharField(
                blank=True,
                max_length=11,
                validators=[mobilization.validators.validate_mobile_phone],
                verbose_name="contact phone",
            ),
        ),
    ]
