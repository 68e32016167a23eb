"""Backups that restore: the database (PostgreSQL's custom-format dump, or SQLite's online backup),
the media folder as a tar, and a manifest with every table's row count and checksum.

A backup is a folder `BACKUP_DIR/<YYYYmmdd-HHMMSS>/` holding `database.dump` (or `database.sqlite3`),
`media.tar` and `manifest.json`. It is written under a hidden name and renamed when complete, so
a folder with a manifest is a whole backup. The manifest holds no secret: neither `SECRET_KEY` nor
`FIELD_ENCRYPTION_KEY` is written anywhere in a backup (personal data stays the ciphertexts of the
database), so restoring needs the same `FIELD_ENCRYPTION_KEY` (and `AUDIT_CHAIN_KEY`) set again.

The table checksums are taken in the very snapshot the dump is made from (PostgreSQL: an exported
snapshot that `pg_dump --snapshot` shares; SQLite: the copy itself), so a restore is verified
exactly: every table's rows, counted and hashed in primary-key order, must be equal.

Audited entry points are the services `backup_create`, `backup_restore` and `backup_prune` in
`mobilization.services`; this module is the mechanics.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

__all__ = [
    "BackupError",
    "Backup",
    "backup_folders",
    "make_backup",
    "restore_backup",
    "verify_database",
    "verify_files",
]

MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar"
FORMAT = 1


class BackupError(Exception):
    """A backup could not be made or restored; the message says why."""


@dataclass
class Backup:
    """A complete backup folder and what its manifest holds."""

    folder: Path
    manifest: dict = field(repr=False)

    @property
    def rows(self):
        return sum(table["rows"] for table in self.manifest["tables"].values())


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_entry(path):
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": _sha256(path)}


# The database: engine-specific dump, restore and row checksums -----------------------------------


def _engine(db):
    engine = db["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"backups support PostgreSQL and SQLite, not {engine}")


def _pg_conninfo(db):
    return {
        key: value
        for key, value in {
            "dbname": db["NAME"],
            "user": db.get("USER"),
            "password": db.get("PASSWORD"),
            "host": db.get("HOST"),
            "port": str(db.get("PORT") or ""),
        }.items()
        if value
    }


def _pg_client_args(db):
    info = _pg_conninfo(db)
    args = ["-d", info["dbname"]]
    for flag, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
        if key in info:
            args += [flag, info[key]]
    env = {**os.environ, "PGPASSWORD": info.get("password", "")}
    return args, env


def _pg_connect(db, *, snapshot_reader=False):
    import psycopg

    conn = psycopg.connect(**_pg_conninfo(db))
    if snapshot_reader:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
    # Row text (the checksum's input) written the same way in every session.
    conn.execute("SET TIME ZONE 'UTC'")
    conn.execute("SET DateStyle = 'ISO, YMD'")
    conn.execute("SET extra_float_digits = 1")
    return conn


def _pg_tables(conn):
    """{table: [primary key columns]} of the public schema."""
    rows = conn.execute(
        """
        SELECT c.relname,
               array_remove(array_agg(a.attname ORDER BY array_position(i.indkey::int2[], a.attnum)), NULL)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
        WHERE c.relkind IN ('r', 'p')
        GROUP BY c.relname
        """
    ).fetchall()
    return {name: list(pk or []) for name, pk in rows}


def _pg_checksums(conn):
    from psycopg import sql

    tables = {}
    for name, pk in sorted(_pg_tables(conn).items()):
        # Row text in primary-key order; a table without a key in the order of its rows' hashes.
        order = sql.SQL(", ").join(sql.Identifier(column) for column in pk) if pk else sql.SQL("1")
        # The alias names the whole row (a column of the same name would shadow it).
        query = sql.SQL("SELECT md5(backup_row::text) FROM {} AS backup_row ORDER BY {}").format(
            sql.Identifier(name), order
        )
        digest, count = hashlib.md5(usedforsecurity=False), 0
        with conn.cursor(name=f"checksum_{len(tables)}") as cursor:
            cursor.itersize = 10_000
            cursor.execute(query)
            for (row_hash,) in cursor:
                digest.update(row_hash.encode())
                count += 1
        tables[name] = {"rows": count, "checksum": digest.hexdigest()}
    return tables


def _sqlite_tables(conn):
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    tables = {}
    for name in names:
        columns = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
        pk = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]]
        tables[name] = (pk, len(columns))
    return tables


def _sqlite_checksums(conn):
    tables = {}
    for name, (pk, width) in _sqlite_tables(conn).items():
        order = ", ".join(f'"{column}"' for column in pk) if pk else ", ".join(str(i + 1) for i in range(width))
        digest, count = hashlib.md5(usedforsecurity=False), 0
        for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY {order}'):
            digest.update(hashlib.md5(repr(row).encode(), usedforsecurity=False).hexdigest().encode())
            count += 1
        tables[name] = {"rows": count, "checksum": digest.hexdigest()}
    return tables


def _sqlite_path(db):
    name = str(db["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name)


def _dump_database(alias, folder):
    """Write the database into `folder`; returns (file, engine, table checksums of what was written)."""
    connection = connections[alias]
    db = connection.settings_dict
    engine = _engine(db)
    if engine == "postgresql":
        target = folder / "database.dump"
        with _pg_connect(db, snapshot_reader=True) as conn:
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            args, env = _pg_client_args(db)
            result = subprocess.run(
                ["pg_dump", "-Fc", "--snapshot", snapshot, "-f", str(target), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
            tables = _pg_checksums(conn)  # the same snapshot as the dump
            conn.rollback()
        return target, engine, tables
    target = folder / "database.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # the online backup API: a consistent copy while others write
        tables = _sqlite_checksums(copy)
    finally:
        copy.close()
    return target, engine, tables


def _database_empty(db, engine):
    if engine == "postgresql":
        with _pg_connect(db) as conn:
            return not _pg_tables(conn)
    path = _sqlite_path(db)
    if path is None:
        raise BackupError("restore needs a database file, not an in-memory SQLite database")
    if not path.exists() or path.stat().st_size == 0:
        return True
    conn = sqlite3.connect(path)
    try:
        return not _sqlite_tables(conn)
    finally:
        conn.close()


def _load_database(db, engine, dump):
    if engine == "postgresql":
        args, env = _pg_client_args(db)
        # The restoring role owns what it creates: the dump's owner and grants may not exist here.
        result = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    path = _sqlite_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(dump), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def database_checksums(db):
    """{table: {"rows", "checksum"}} of the database `db` (a DATABASES entry) as it is now."""
    engine = _engine(db)
    if engine == "postgresql":
        with _pg_connect(db, snapshot_reader=True) as conn:
            tables = _pg_checksums(conn)
            conn.rollback()
            return tables
    path = _sqlite_path(db)
    conn = sqlite3.connect(path) if path else None
    if conn is None:
        raise BackupError("an in-memory SQLite database is checked through its Django connection")
    try:
        return _sqlite_checksums(conn)
    finally:
        conn.close()


def compare_tables(expected, found):
    """The differences between two {table: {"rows", "checksum"}}, one sentence per table."""
    problems = []
    for name in sorted(set(expected) | set(found)):
        want, got = expected.get(name), found.get(name)
        if got is None:
            problems.append(f"{name}: missing ({want['rows']} rows in the backup)")
        elif want is None:
            problems.append(f"{name}: not in the backup ({got['rows']} rows)")
        elif want["rows"] != got["rows"]:
            problems.append(f"{name}: {got['rows']} rows, {want['rows']} in the backup")
        elif want["checksum"] != got["checksum"]:
            problems.append(f"{name}: {got['rows']} rows as in the backup, but their content differs")
    return problems


# The media folder --------------------------------------------------------------------------------


def _media_files(root, skip=()):
    """Sorted (relative path, absolute path) of every file under `root`, leaving out `skip` folders."""
    root = Path(root)
    if not root.exists():
        return []
    skip = [Path(s).resolve() for s in skip]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath).resolve()
        dirnames[:] = sorted(d for d in dirnames if (here / d) not in skip)
        for name in filenames:
            path = Path(dirpath) / name
            found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def media_digest(root, skip=()):
    """(number of files, one SHA-256 over every file's path and content) of a media folder."""
    digest = hashlib.sha256()
    files = _media_files(root, skip)
    for relative, path in files:
        digest.update(f"{relative}\0{_sha256(path)}\n".encode())
    return len(files), digest.hexdigest()


def _backup_root():
    return Path(settings.BACKUP_DIR)


def _dump_media(media_root, folder):
    target = folder / MEDIA_TAR
    files = _media_files(media_root, skip=[_backup_root()])
    with tarfile.open(target, "w") as tar:
        for relative, path in files:
            tar.add(path, arcname=relative, recursive=False)
    count, digest = media_digest(media_root, skip=[_backup_root()])
    return target, {"files": count, "digest": digest}


# Backups -----------------------------------------------------------------------------------------


def _migrations(alias):
    from django.db.migrations.recorder import MigrationRecorder

    latest = {}
    for app, name in MigrationRecorder(connections[alias]).migration_qs.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def make_backup(*, alias="default", media_root=None, backup_dir=None, now=None):
    """Back up the database `alias` and the media folder into a new dated folder; returns the Backup."""
    root = Path(backup_dir or settings.BACKUP_DIR)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    now = now or timezone.now()
    root.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    name, n = stamp, 1
    while (root / name).exists() or (root / f".{name}.partial").exists():
        n += 1
        name = f"{stamp}-{n}"
    partial = root / f".{name}.partial"
    partial.mkdir()
    try:
        database, engine, tables = _dump_database(alias, partial)
        media, media_summary = _dump_media(media_root, partial)
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(),
            "engine": engine,
            "migrations": _migrations(alias),
            # Which key version the ciphertexts need (never the key itself).
            "field_key_version": settings.FIELD_ENCRYPTION_KEY_VERSION,
            "database": _file_entry(database),
            "media": {**_file_entry(media), **media_summary},
            "tables": tables,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        final = root / name
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Backup(final, manifest)


def read_backup(folder):
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{folder} is no backup: it has no {MANIFEST}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder}: unknown backup format {manifest.get('format')!r}")
    return Backup(folder, manifest)


def verify_files(backup):
    """The files of a backup against the checksums of its manifest; returns the problems."""
    problems = []
    for part in ("database", "media"):
        entry = backup.manifest[part]
        path = backup.folder / entry["file"]
        if not path.exists():
            problems.append(f"{entry['file']}: missing")
        elif _sha256(path) != entry["sha256"]:
            problems.append(f"{entry['file']}: its checksum does not match the manifest")
    return problems


def verify_database(backup, *, alias="default", media_root=None):
    """The database `alias` and the media folder against the backup's manifest; returns the problems."""
    problems = compare_tables(backup.manifest["tables"], database_checksums(connections[alias].settings_dict))
    count, digest = media_digest(media_root or settings.MEDIA_ROOT, skip=[_backup_root()])
    media = backup.manifest["media"]
    if (count, digest) != (media["files"], media["digest"]):
        problems.append(f"media: {count} files, {media['files']} in the backup, or their content differs")
    return problems


def restore_backup(folder, *, alias="default", media_root=None):
    """Restore a backup into the database `alias` and the media folder, both empty, then verify them
    against the manifest; returns (Backup, problems)."""
    backup = read_backup(folder)
    problems = verify_files(backup)
    if problems:
        raise BackupError("the backup is damaged: " + "; ".join(problems))
    db = connections[alias].settings_dict
    engine = _engine(db)
    if engine != backup.manifest["engine"]:
        raise BackupError(f"the backup is of a {backup.manifest['engine']} database, this one is {engine}")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if not _database_empty(db, engine):
        raise BackupError(f"the database {db['NAME']} is not empty: restore into a new, empty database")
    if _media_files(media_root, skip=[_backup_root()]):
        raise BackupError(f"the media folder {media_root} is not empty: restore into an empty folder")
    connections[alias].close()  # no connection of ours may hold the database while it is loaded
    _load_database(db, engine, backup.folder / backup.manifest["database"]["file"])
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup.folder / MEDIA_TAR) as tar:
        tar.extractall(media_root, filter="data")  # no path leaves the media folder
    return backup, verify_database(backup, alias=alias, media_root=media_root)


def backup_folders(backup_dir=None):
    """The complete backups under BACKUP_DIR, oldest first (a folder with a manifest is complete)."""
    root = Path(backup_dir or settings.BACKUP_DIR)
    if not root.exists():
        return []
    complete = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).exists()]
    return sorted(complete, key=lambda p: (json.loads((p / MANIFEST).read_text()).get("created", ""), p.name))
