"""Existing duty officers' phones encrypted and hashed."""

from django.db import migrations

from mobilization.migration_ops import encrypt_clear_columns


def encrypt_phones(apps, schema_editor):
    for label in ("teams.StandbyDuty", "teams.HistoricalStandbyDuty"):
        encrypt_clear_columns(apps, label, {"officer_phone": "officer_phone_hash"})


class Migration(migrations.Migration):
    # Apart from the schema change: PostgreSQL refuses to alter or index a table in the
    # transaction that has just rewritten its rows.
    dependencies = [
        ("teams", "0004_officer_phone_encrypted"),
    ]

    operations = [
        migrations.RunPython(encrypt_phones, migrations.RunPython.noop),
    ]
