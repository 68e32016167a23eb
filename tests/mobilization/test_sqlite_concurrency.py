"""The embedded database takes concurrent writes: 16 writer threads, each in its own connection to
one SQLite file with the project's options (WAL, busy timeout, IMMEDIATE transactions), get no
"database is locked" and lose no update (issue 12)."""

import tempfile
import threading
import unittest
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections, transaction

WRITERS = 16
WRITES_EACH = 25


# A plain TestCase: the database here is a file of its own, not the test database Django guards.
class SQLiteConcurrentWritesTest(unittest.TestCase):
    alias = "concurrency"

    @pytest.fixture(autouse=True)
    def _file_database_allowed(self, django_db_blocker):
        with django_db_blocker.unblock():
            yield

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.path = Path(folder.name) / "db.sqlite3"

    def _connect(self, options):
        configured = connections.configure_settings(
            {
                "default": settings.DATABASES["default"],
                self.alias: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(self.path), "OPTIONS": options},
            }
        )
        connections.settings[self.alias] = configured[self.alias]
        self.addCleanup(connections.settings.pop, self.alias, None)
        self.addCleanup(self._forget_connection)

    def _forget_connection(self):
        connections[self.alias].close()
        del connections[self.alias]

    def _run(self):
        with connections[self.alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id integer PRIMARY KEY, n integer NOT NULL)")
            cursor.execute("INSERT INTO counter VALUES (1, 0)")
        connections[self.alias].close()
        errors = []
        start = threading.Barrier(WRITERS)

        def writer():
            try:
                start.wait()
                for _ in range(WRITES_EACH):
                    # Read, then write in the same transaction: the pattern of every service that
                    # locks a row and updates it, and the one that deadlocks without IMMEDIATE.
                    with transaction.atomic(using=self.alias), connections[self.alias].cursor() as cursor:
                        cursor.execute("SELECT n FROM counter WHERE id = 1")
                        (n,) = cursor.fetchone()
                        cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
            except Exception as exc:  # noqa: BLE001 - every failure is counted, none hidden
                errors.append(repr(exc))
            finally:
                connections[self.alias].close()

        threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SELECT n FROM counter WHERE id = 1")
            total = cursor.fetchone()[0]
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
        connections[self.alias].close()
        return errors, total, mode

    def test_sixteen_writers_get_no_error_and_lose_no_update(self):
        self._connect(settings.SQLITE_OPTIONS)
        errors, total, mode = self._run()
        self.assertEqual(errors, [])
        self.assertEqual(total, WRITERS * WRITES_EACH)
        self.assertEqual(mode, "wal")

    def test_without_the_options_the_same_writers_fail(self):
        # The control: the test above would catch the options being dropped.
        self._connect({"timeout": 0.05})
        errors, total, _mode = self._run()
        self.assertGreater(len(errors), 0)
        self.assertIn("database is locked", errors[0])
