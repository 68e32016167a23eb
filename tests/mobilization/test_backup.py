"""Backups that restore (issue 12, item 9): `manage.py backup` and `manage.py restore` as an operator
runs them. The restore runs as its own process on a fresh database and media folder, and every
table's row count and checksum and every media file must come back equal."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from mobilization import backups
from mobilization.choices import AuditActionChoices, AuditOutcomeChoices
from mobilization.models import AuditEvent
from mobilization.services import ensure_periodic_tasks
from mobilization.tasks import backup_task
from tests.base import World, restore_migrated_rows
from tests.factories import add_member, make_team

pytestmark = pytest.mark.django_db(transaction=True)

# The restore appends its own event to the restored trail; every other table is compared whole.
AUDIT_TABLES = {"mobilization_auditevent", "mobilization_auditchainhead"}


@pytest.fixture(autouse=True)
def _backup_settings(transactional_db, settings, tmp_path):
    restore_migrated_rows()  # an earlier transactional test's flush took the taxonomy
    settings.BACKUP_DIR = tmp_path / "backups"


def _manage(*args, database_url, media_root):
    """Run manage.py as an operator would, on another database and media folder."""
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    env["BACKUP_DIR"] = str(settings.BACKUP_DIR)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


def _without_audit(tables):
    return {name: value for name, value in tables.items() if name not in AUDIT_TABLES}


def _assert_no_secret(folder):
    for path in (folder / "manifest.json", folder / "media.tar"):
        content = path.read_bytes()
        for secret in (settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEY):
            assert secret.encode() not in content, path.name


def _backup():
    out = io.StringIO()
    call_command("backup", stdout=out)
    (folder,) = backups.backup_folders()
    assert out.getvalue().startswith(f"{folder}: ")
    return backups.read_backup(folder)


def _assert_restored(backup, restored_tables, media_root, *, result):
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = backup.manifest
    assert result.stdout.startswith(
        f"restored and verified: {len(manifest['tables'])} tables, {backup.rows} rows and "
        f"{manifest['media']['files']} media files equal to the backup of {manifest['created']}"
    )
    # Independently of the command's own check: every table as in the manifest, the media files too.
    assert _without_audit(restored_tables) == _without_audit(manifest["tables"])
    audit = "mobilization_auditevent"
    assert restored_tables[audit]["rows"] == manifest["tables"][audit]["rows"] + 1  # the restore's event
    assert backups.media_digest(media_root) == (manifest["media"]["files"], manifest["media"]["digest"])


def test_postgresql_demo_backup_restores_into_a_fresh_database_and_media_folder(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL (the SQLite backup is tested below)")
    import psycopg

    call_command("seed_demo", password="Backup-test-2026", stdout=io.StringIO())
    backup = _backup()
    manifest = backup.manifest
    assert manifest["engine"] == "postgresql" and (backup.folder / "database.dump").exists()
    assert manifest["media"]["files"] > 0
    assert manifest["tables"]["members_person"]["rows"] > 1000
    _assert_no_secret(backup.folder)
    # The manifest describes this database (taken in the dump's own snapshot).
    source = backups.database_checksums(connection.settings_dict)
    assert _without_audit(source) == _without_audit(manifest["tables"])
    event = AuditEvent.objects.filter(action=AuditActionChoices.BACKUP).get()
    assert (event.outcome, event.detail["folder"], event.detail["rows"]) == (
        AuditOutcomeChoices.SUCCESS,
        backup.folder.name,
        backup.rows,
    )

    db = connection.settings_dict
    fresh = f"{db['NAME']}_restore"
    admin = psycopg.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432, autocommit=True,
    )  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{fresh}"
        media = tmp_path / "restored-media"
        result = _manage("restore", str(backup.folder), database_url=url, media_root=media)
        restored = backups.database_checksums({**db, "NAME": fresh})
        _assert_restored(backup, restored, media, result=result)
        # The restored trail is whole: its chain verifies with the restore's event appended.
        chain = _manage("verify_audit_chain", database_url=url, media_root=media)
        assert chain.returncode == 0 and chain.stdout.startswith("intact, "), chain.stdout + chain.stderr

        # Restoring again is refused: the database is no longer empty.
        again = _manage("restore", str(backup.folder), database_url=url, media_root=tmp_path / "other-media")
        assert again.returncode == 1
        assert f"the database {fresh} is not empty" in again.stderr
        # A row changed after the restore is found, and named by its table.
        with psycopg.connect(**backups._pg_conninfo({**db, "NAME": fresh}), autocommit=True) as conn:
            conn.execute("UPDATE teams_team SET name = name || '*' WHERE id = (SELECT min(id) FROM teams_team)")
        check = _manage("restore", "--verify-only", str(backup.folder), database_url=url, media_root=media)
        assert check.returncode == 1
        rows = manifest["tables"]["teams_team"]["rows"]
        assert f"teams_team: {rows} rows as in the backup, but their content differs" in check.stderr
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        admin.close()


def _small_world():
    world = World()
    team = make_team(world.a)
    for _ in range(3):
        add_member(team)
    default_storage.save("inspections/photos/a.jpg", ContentFile(b"\xff\xd8 photo bytes"))
    default_storage.save("private/evidence/b.pdf", ContentFile(b"%PDF evidence"))
    return world


def test_sqlite_backup_restores_into_a_fresh_database_file_and_media_folder(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite online backup (PostgreSQL's dump is tested above)")
    _small_world()
    backup = _backup()
    manifest = backup.manifest
    assert manifest["engine"] == "sqlite" and (backup.folder / "database.sqlite3").exists()
    assert manifest["media"]["files"] == 2
    assert manifest["tables"]["members_person"]["rows"] == 3
    _assert_no_secret(backup.folder)
    assert not (backup.folder / "database.sqlite3").read_bytes().count(settings.FIELD_ENCRYPTION_KEY.encode())

    target = tmp_path / "restored" / "db.sqlite3"
    media = tmp_path / "restored-media"
    result = _manage("restore", str(backup.folder), database_url=f"sqlite:///{target}", media_root=media)
    restored = backups.database_checksums({"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)})
    _assert_restored(backup, restored, media, result=result)
    assert (media / "inspections/photos/a.jpg").read_bytes() == b"\xff\xd8 photo bytes"


def test_a_damaged_backup_is_not_restored(tmp_path):
    _small_world()
    backup = _backup()
    with open(backup.folder / "media.tar", "ab") as tar:
        tar.write(b"\0" * 512)
    target = tmp_path / "db.sqlite3"
    result = _manage(
        "restore", str(backup.folder), database_url=f"sqlite:///{target}", media_root=tmp_path / "media-restored"
    )
    assert result.returncode == 1
    assert "the backup is damaged: media.tar: its checksum does not match the manifest" in result.stderr
    assert not target.exists()


def test_nightly_job_keeps_the_most_recent_backups(settings):
    settings.BACKUP_KEEP = 2
    ensure_periodic_tasks()
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.select_related("crontab").get(task="mobilization.backup")
    assert (job.crontab.minute, job.crontab.hour, job.enabled) == ("0", "1", True)

    names = [backup_task() for _ in range(3)]
    kept = [path.name for path in backups.backup_folders()]
    assert kept == names[1:]
    assert not list(Path(settings.BACKUP_DIR).glob(".*.partial"))
    events = AuditEvent.objects.filter(action=AuditActionChoices.BACKUP).order_by("id")
    assert [(event.detail["folder"], event.detail["removed"]) for event in events] == [
        (names[0], []),
        (names[1], []),
        (names[2], [names[0]]),
    ]
    assert json.loads((Path(settings.BACKUP_DIR) / names[2] / "manifest.json").read_text())["format"] == 1
