"""The communication test: rates and medians per unit, team and type against hand counts, the
drill's test call, and the statistics section."""

import datetime

from django.test import override_settings
from django.utils import timezone

from reporting.sections import compute_section
from teams.models import Activation, PersonCall
from teams.selectors.comm_test import callout_test_figures
from teams.services import callout_answer, drill_callout_test
from tests.base import WorldTestCase
from tests.factories import add_member, make_team, make_type

from .test_callout import SMSFileMixin, phone

T0 = timezone.make_aware(datetime.datetime(2026, 9, 18, 10, 0))


class CommunicationTestFigures(SMSFileMixin, WorldTestCase):
    def test_rates_and_medians_against_hand_counts(self):
        a = self.world.a
        type_a, _k, _i = make_type()
        type_b, _k2, _i2 = make_type()
        t1 = make_team(a, team_type=type_a, name="甲队")
        t2 = make_team(a, team_type=type_a, name="乙队", unit=a.other_unit)
        t3 = make_team(a, team_type=type_b, name="丙队")
        # Minutes to the first answer (None: silent). The window is 30 minutes.
        plan = {t1: [1, 5, 29, 31, None], t2: [10, 30], t3: [None, None, 2]}
        activation = Activation.objects.create(title="通信测试", reason="-", region=a.county, is_test=True)
        people = {team: [add_member(team, phone=phone()) for _ in minutes] for team, minutes in plan.items()}
        self.call_out(activation=activation, by=None, teams=list(plan), now=T0)
        for team, minutes in plan.items():
            for person, m in zip(people[team], minutes, strict=True):
                if m is not None:
                    call = PersonCall.objects.get(person=person)
                    callout_answer(call=call, answer="yes", eta_minutes=5, now=T0 + datetime.timedelta(minutes=m))
                    # A changed answer later does not move the response time.
                    callout_answer(call=call, answer="yes", eta_minutes=9, now=T0 + datetime.timedelta(minutes=m + 50))
        figures = callout_test_figures(
            activations=Activation.objects.filter(pk=activation.pk), target={"rate": 50, "minutes": 30}
        )
        # Total: 10 called, answered 7, within 30' = 1,5,29,10,30,2 = 6 -> 60.0%; median of
        # [1,2,5,10,29,30,31] = 10.
        self.assertEqual(
            figures["total"],
            {"called": 10, "answered": 7, "answered_within": 6, "rate": 60.0, "median_minutes": 10.0, "met": True},
        )
        teams = {r["name"]: r for r in figures["team"]}
        self.assertEqual((teams["甲队"]["rate"], teams["甲队"]["median_minutes"]), (60.0, 17.0))  # 3/5; (5+29)/2
        self.assertEqual((teams["乙队"]["rate"], teams["乙队"]["median_minutes"]), (100.0, 20.0))
        self.assertEqual(
            (teams["丙队"]["rate"], teams["丙队"]["median_minutes"], teams["丙队"]["met"]), (33.3, 2.0, False)
        )
        types = {r["id"]: r for r in figures["team_type"]}
        self.assertEqual((types[type_a.pk]["called"], types[type_a.pk]["answered_within"]), (7, 5))  # 71.4%
        self.assertEqual(types[type_a.pk]["rate"], 71.4)
        units = {r["id"]: r for r in figures["unit"]}
        self.assertEqual((units[a.unit.pk]["called"], units[a.unit.pk]["answered_within"]), (8, 4))
        self.assertEqual((units[a.other_unit.pk]["called"], units[a.other_unit.pk]["rate"]), (2, 100.0))

    def test_the_drill_test_call_and_the_section(self):
        from tests.factories import make_exercise

        a = self.world.a
        team = make_team(a)
        person = add_member(team, phone=phone())
        drill = make_exercise(a, teams=[team], kind="alarm_test")
        with override_settings(CALLOUT_TEST_TARGET={"rate": 90, "minutes": 30}):
            with self.captureOnCommitCallbacks(execute=True):
                activation = drill_callout_test(exercise=drill, by=self.world.users["office"], now=T0)
            self.assertTrue(activation.is_test)
            self.assertEqual(drill_callout_test(exercise=drill, by=None, now=T0).pk, activation.pk)
            callout_answer(
                call=PersonCall.objects.get(person=person), answer="yes", now=T0 + datetime.timedelta(minutes=3)
            )
            self.assertIn("测试", self.texts()[0]["text"])
            section = compute_section("callout_test_by_type", a.county.code[:6], T0.date(), T0.date())
        self.assertEqual(section["rows"], [[team.team_type.name, 1, 1, 100.0, 3.0, True]])
