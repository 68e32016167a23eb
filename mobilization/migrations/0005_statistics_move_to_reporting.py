"""Statistics reports, snapshots and member units' year statuses leave this app's state.

State only: their tables, rows and history stay in the database for the app that owns them now,
whose first migration takes them over (and renames the tables to its own names). No row is
copied or dropped."""

from django.db import migrations

MOVED = [
    "HistoricalMemberUnitYearStatus",
    "HistoricalStatisticsReport",
    "MemberUnitYearStatus",
    "StatisticsReport",
    "StatisticsSnapshot",
]


class Migration(migrations.Migration):
    dependencies = [
        ("mobilization", "0004_notification_kind_choices"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name) for name in MOVED]),
    ]
