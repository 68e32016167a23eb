"""Statistics reports, snapshots and member units' year statuses move to the `reporting` app.

Their tables (and the history tables) are renamed to the new app's names here, in the
database, and leave this app's state; reporting 0001 takes them into its state without touching
the database, and reporting 0002 moves their content types (so permissions, group grants,
admin log entries follow) and the beat schedules naming the old task paths. No row is copied."""

from django.db import migrations

MOVED = [
    "statisticsreport",
    "historicalstatisticsreport",
    "statisticssnapshot",
    "memberunityearstatus",
    "historicalmemberunityearstatus",
]


class Migration(migrations.Migration):
    dependencies = [
        ("mobilization", "0004_notification_kind_choices"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name, f"reporting_{name}") for name in MOVED],
            state_operations=[migrations.DeleteModel(name) for name in MOVED],
        ),
    ]
