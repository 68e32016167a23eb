"""The moved models' content types and the beat schedules follow them to `reporting`.

Content types are relabelled, not recreated: their permissions, the groups and users granted
them, admin log entries and audit rows keep pointing at the same rows. (`sync_role_groups`
re-syncs every role's group after migrate in any case.) A content type of the same name already
made under `reporting` (by a post_migrate between two partial migrates) holds only fresh
permissions: it gives way to the relabelled one.

django-celery-beat's periodic tasks name their task by its registered path: the rows naming the
old `mobilization.statistics_*` tasks are pointed at the `reporting.statistics_*` ones, so an
existing deployment keeps its schedules (and any times the office edited)."""

from django.db import migrations
from django.utils import timezone

MOVED = [
    "statisticsreport",
    "historicalstatisticsreport",
    "statisticssnapshot",
    "memberunityearstatus",
    "historicalmemberunityearstatus",
]
TASKS = {
    f"mobilization.{name}": f"reporting.{name}"
    for name in (
        "statistics_snapshot",
        "statistics_snapshot_monthly",
        "statistics_snapshot_quarterly",
        "statistics_snapshot_yearly",
        "statistics_report_reminders",
        "statistics_job",
    )
}


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MOVED:
        moving = ContentType.objects.filter(app_label=old, model=model).first()
        if moving is None:
            continue
        stale = ContentType.objects.filter(app_label=new, model=model).first()
        if stale is not None:
            Permission.objects.filter(content_type=stale).delete()
            stale.delete()
        moving.app_label = new
        moving.save(update_fields=["app_label"])


def _rename_tasks(apps, renames):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    changed = 0
    for old, new in renames.items():
        changed += PeriodicTask.objects.filter(task=old).update(task=new)
    if changed:
        # A running beat re-reads its schedule when this stamp moves (update() sends no signal).
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def forwards(apps, schema_editor):
    _relabel(apps, "mobilization", "reporting")
    _rename_tasks(apps, TASKS)


def backwards(apps, schema_editor):
    _relabel(apps, "reporting", "mobilization")
    _rename_tasks(apps, {new: old for old, new in TASKS.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
