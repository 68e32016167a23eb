"""The demo's member-unit year statuses: a spread as far as the year has come, added once."""

import datetime
import io
from types import SimpleNamespace

from mobilization.models import MemberUnit
from reporting.demo import seed_year_statuses
from reporting.models import MemberUnitYearStatus
from tests.base import WorldTestCase, make_credit_code


class DemoYearStatusesTest(WorldTestCase):
    def test_spread_by_phase_and_a_second_run_changes_nothing(self):
        a = self.world.a
        for n in range(40):
            MemberUnit.objects.create(
                name=f"单位{n}", credit_code=make_credit_code(), kind=a.unit.kind, sector=a.unit.sector, region=a.county
            )
        ctx = SimpleNamespace(city=a.city, today=datetime.date(2026, 12, 2), stdout=io.StringIO())
        self.assertGreater(seed_year_statuses(ctx), 0)
        rows = MemberUnitYearStatus.objects.filter(year=2026)
        # The plan closed long ago: nearly all accepted; the evaluation is closing: a spread.
        self.assertGreater(rows.filter(phase="plan", status="accepted").count(), 30)
        evaluation = set(rows.filter(phase="evaluation").values_list("status", flat=True))
        self.assertEqual(evaluation, {"accepted", "submitted"})
        self.assertLess(rows.filter(phase="evaluation").count(), 40)  # some not started
        self.assertTrue(MemberUnitYearStatus.objects.filter(year=2025, phase="evaluation").exists())
        before = list(MemberUnitYearStatus.objects.order_by("pk").values_list("pk", "status", "updated"))
        self.assertEqual(seed_year_statuses(ctx), 0)
        self.assertEqual(
            list(MemberUnitYearStatus.objects.order_by("pk").values_list("pk", "status", "updated")), before
        )

    def test_nothing_before_a_phase_draws_near(self):
        ctx = SimpleNamespace(city=self.world.a.city, today=datetime.date(2026, 1, 5), stdout=io.StringIO())
        seed_year_statuses(ctx)
        self.assertFalse(MemberUnitYearStatus.objects.filter(year=2026).exists())
