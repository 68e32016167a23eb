"""The full birth date leaves the database (its year was kept by 0005).

A migration of its own: PostgreSQL refuses to alter a table in the transaction that has just
rewritten its rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_personal_data_deidentified_data"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalperson",
            name="birth_date",
        ),
        migrations.RemoveField(
            model_name="person",
            name="birth_date",
        ),
    ]
