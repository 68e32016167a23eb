"""The benchmark commands run, print their figures and leave the database as they found it.

They measure nothing here (timings belong to the machine, not to the test suite): this only
keeps them working as the models change under them, at a size that takes a moment."""

import io

import pytest
from django.core.management import call_command
from django.test import TestCase

from members.models import Person
from mobilization.models import Notification
from teams.models import Team


def run(command, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, stdout=out, stderr=err, **options)
    return out.getvalue()


@pytest.mark.django_db
class BenchmarkCommandsTest(TestCase):
    def test_roster_import_benchmark_rolls_back(self):
        output = run("bench_roster_import", rows=30, teams=3)
        self.assertIn("approve and apply", output)
        self.assertRegex(output, r"total [\d.]+ s = [\d.]+x the floor")
        self.assertFalse(Person.objects.exists())

    def test_reminder_benchmark_rolls_back(self):
        output = run("bench_reminders", recipients=40)
        self.assertIn("reminder fan-out (40 notifications)", output)
        self.assertRegex(output, r"ratio: [\d.]+x the floor")
        self.assertFalse(Notification.objects.exists())

    def test_readiness_benchmark_compares_with_a_real_floor(self):
        from tests.base import World
        from tests.factories import add_member, make_team

        world = World()
        for _ in range(3):
            add_member(make_team(world.a))
        output = run("benchmark_readiness", repeat=2)
        self.assertIn(f"teams: {Team.objects.count()}", output)
        self.assertRegex(output, r"floor \(plain load\):\s+[\d.]+ ms, 1 queries")
