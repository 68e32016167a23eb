"""Phones of contacts, profiles and SMS-only notifications encrypted (SM4) and found by a keyed hash."""

import mobilization.fields
import mobilization.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mobilization", "0007_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="notification",
            name="notification_once_per_phone",
        ),
        migrations.AddField(
            model_name="historicalmemberunitcontact",
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
            model_name="historicaluserprofile",
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
            model_name="memberunitcontact",
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
            model_name="notification",
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
            model_name="userprofile",
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
            model_name="historicalmemberunitcontact",
            name="phone",
            field=mobilization.fields.EncryptedCharField(
                max_length=11, validators=[mobilization.validators.validate_mobile_phone], verbose_name="mobile phone"
            ),
        ),
        migrations.AlterField(
            model_name="historicaluserprofile",
            name="phone",
            field=mobilization.fields.EncryptedCharField(
                blank=True,
                max_length=11,
                validators=[mobilization.validators.validate_mobile_phone],
                verbose_name="mobile phone",
            ),
        ),
        migrations.AlterField(
            model_name="memberunitcontact",
            name="phone",
            field=mobilization.fields.EncryptedCharField(
                max_length=11, validators=[mobilization.validators.validate_mobile_phone], verbose_name="mobile phone"
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="phone",
            field=mobilization.fields.EncryptedCharField(
                blank=True, max_length=20, verbose_name="mobile phone (no account)"
            ),
        ),
        migrations.AlterField(
            model_name="userprofile",
            name="phone",
            field=mobilization.fields.EncryptedCharField(
                blank=True,
                max_length=11,
                validators=[mobilization.validators.validate_mobile_phone],
                verbose_name="mobile phone",
            ),
        ),
        # Before the constraint: it holds on the hashes, which this step fills.
    ]
