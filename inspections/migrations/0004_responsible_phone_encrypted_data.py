"""Existing facility contact phones encrypted and hashed."""

from django.db import migrations

from mobilization.migration_ops import encrypt_clear_columns


def encrypt_phones(apps, schema_editor):
    for label in ("inspections.Facility", "inspections.HistoricalFacility"):
        encrypt_clear_columns(apps, label, {"responsible_phone": "responsible_phone_hash"})


class Migration(migrations.Migration):
    # Apart from the schema change: PostgreSQL refuses to alter or index a table in the
    # transaction that has just rewritten its rows.
    dependencies = [
        ("inspections", "0003_responsible_phone_encrypted"),
    ]

    operations = [
        migrations.RunPython(encrypt_phones, migrations.RunPython.noop),
    ]
