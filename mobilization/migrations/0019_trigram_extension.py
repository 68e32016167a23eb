"""pg_trgm on PostgreSQL (a trusted extension: the database owner may create it), for the GIN
trigram indexes of the text searches; nothing on other databases."""

from django.db import migrations

from mobilization.migration_ops import trigram_indexes


def create_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("mobilization", "0018_notification_kinds_inspections_and_follow_ups")]

    operations = [
        migrations.RunPython(create_extension, migrations.RunPython.noop, elidable=False),
        trigram_indexes(("mobilization_memberunit", "name", "memberunit_name_trgm")),
    ]
