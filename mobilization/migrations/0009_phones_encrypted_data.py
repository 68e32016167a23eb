"""Existing phones of contacts, profiles and SMS-only notifications encrypted and hashed."""

from django.db import migrations, models

from mobilization.migration_ops import encrypt_clear_columns


def encrypt_phones(apps, schema_editor):
    for label in (
        "mobilization.MemberUnitContact",
        "mobilization.HistoricalMemberUnitContact",
        "mobilization.UserProfile",
        "mobilization.HistoricalUserProfile",
        "mobilization.Notification",
    ):
        encrypt_clear_columns(apps, label, {"phone": "phone_hash"})


class Migration(migrations.Migration):
    # Apart from the schema change: PostgreSQL refuses to alter or index a table in the
    # transaction that has just rewritten its rows.
    dependencies = [
        ("mobilization", "0008_phones_encrypted"),
    ]

    operations = [
        migrations.RunPython(encrypt_phones, migrations.RunPython.noop),
    ]
