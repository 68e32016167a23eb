"""The one `--today` reader: every command that acts as on another day takes YYYY-MM-DD and
refuses anything else with a usage error naming the value; tasks read the same way."""

import datetime

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase
from django.utils import timezone

from mobilization.dates import resolve_today

COMMANDS = [
    "send_drill_reminders",
    "warn_expiring_qualifications",
    "sweep_overdue_rectifications",
    "sweep_overdue_inspections",
    "sweep_overdue_follow_ups",
    "snapshot_statistics",
    "purge_orphan_media",
    "seed_demo",
]


class TodayOptionTest(SimpleTestCase):
    def test_every_command_refuses_a_bad_date_before_doing_anything(self):
        for command in COMMANDS:
            for bad in ("2026-02-30", "18/09/2026", "tomorrow"):
                with self.subTest(command=command, value=bad), self.assertRaises(CommandError) as caught:
                    call_command(command, f"--today={bad}")
                self.assertIn(f"“{bad}”", str(caught.exception))
                self.assertIn("--today", str(caught.exception))

    def test_tasks_and_call_command_read_the_same_way(self):
        self.assertEqual(resolve_today("2026-09-18"), datetime.date(2026, 9, 18))
        self.assertEqual(resolve_today(datetime.date(2026, 9, 18)), datetime.date(2026, 9, 18))
        self.assertEqual(resolve_today(None), timezone.localdate())
        self.assertEqual(resolve_today(""), timezone.localdate())
        with self.assertRaisesMessage(ValueError, "“2026-13-01”不是日期"):
            resolve_today("2026-13-01")
