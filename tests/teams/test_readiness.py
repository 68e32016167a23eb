"""Live readiness against the type's minimum capability, table-driven: each case builds one team
and states whether it is ready and, if not, the reason the office reads."""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from teams.models import StandbyDuty, Team
from tests.base import WorldTestCase
from tests.factories import add_equipment, add_member, make_team, make_type

TODAY = timezone.localdate()
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)

QUALIFIED = {"qualified": True}
PLAIN = {}
ENOUGH_KIT = [(2, "serviceable")]

# The type needs 4 members, 50% of them fit and holding kind K valid today, and 2 serviceable item I.
# (case, members, equipment, team fields, ready, reason fragment)
CASES = [
    ("just at the minimum", [QUALIFIED, QUALIFIED, PLAIN, PLAIN], ENOUGH_KIT, {}, True, None),
    (
        "one below the minimum headcount",
        [QUALIFIED, QUALIFIED, PLAIN],
        ENOUGH_KIT,
        {},
        False,
        "Headcount 3 is below the minimum of 4",
    ),
    (
        "a qualification expired yesterday",
        [QUALIFIED, {"qualified": True, "expires": YESTERDAY}, PLAIN, PLAIN],
        ENOUGH_KIT,
        {},
        False,
        "Only 1 of 4 members (25%) are fit for duty, available and hold a valid “资格",
    ),
    (
        "a qualification expiring today still counts",
        [QUALIFIED, {"qualified": True, "expires": TODAY}, PLAIN, PLAIN],
        ENOUGH_KIT,
        {},
        True,
        None,
    ),
    (
        "a qualification issued tomorrow does not count yet",
        [QUALIFIED, {"qualified": True, "issued": TOMORROW}, PLAIN, PLAIN],
        ENOUGH_KIT,
        {},
        False,
        "Only 1 of 4 members (25%)",
    ),
    (
        "an unfit member drops the share",
        [QUALIFIED, {"qualified": True, "fit": False}, PLAIN, PLAIN],
        ENOUGH_KIT,
        {},
        False,
        "Only 1 of 4 members (25%)",
    ),
    (
        "unserviceable required equipment",
        [QUALIFIED, QUALIFIED, PLAIN, PLAIN],
        [(1, "serviceable"), (1, "unserviceable")],
        {},
        False,
        "Only 1 serviceable “装备",
    ),
    (
        "equipment needing repair does not count",
        [QUALIFIED, QUALIFIED, PLAIN, PLAIN],
        [(1, "serviceable"), (5, "needs_repair")],
        {},
        False,
        "the type requires 2",
    ),
    ("no equipment at all", [QUALIFIED, QUALIFIED, PLAIN, PLAIN], [], {}, False, "Only 0 serviceable"),
    (
        "a member who left yesterday does not count",
        [QUALIFIED, QUALIFIED, PLAIN, {"left": YESTERDAY}],
        ENOUGH_KIT,
        {},
        False,
        "Headcount 3",
    ),
    (
        "a member leaving tomorrow still counts",
        [QUALIFIED, QUALIFIED, PLAIN, {"left": TOMORROW}],
        ENOUGH_KIT,
        {},
        True,
        None,
    ),
    (
        "a member joining tomorrow does not count yet",
        [QUALIFIED, QUALIFIED, PLAIN, {"joined": TOMORROW}],
        ENOUGH_KIT,
        {},
        False,
        "Headcount 3",
    ),
    (
        "a team standing down",
        [QUALIFIED, QUALIFIED, PLAIN, PLAIN],
        ENOUGH_KIT,
        {"status": "standing_down"},
        False,
        "The team is not active",
    ),
    ("nobody on the roster", [], ENOUGH_KIT, {}, False, "Headcount 0"),
    (
        "a member away until today is not counted",
        [QUALIFIED, QUALIFIED, PLAIN, {"away_until": TODAY}],
        ENOUGH_KIT,
        {},
        False,
        "Only 3 of 4 members are available today (1 unavailable); the type requires 4.",
    ),
    (
        "a member away until yesterday is back",
        [QUALIFIED, QUALIFIED, PLAIN, {"away_until": YESTERDAY}],
        ENOUGH_KIT,
        {},
        True,
        None,
    ),
    (
        "an unavailable holder drops the qualification share",
        [QUALIFIED, {"qualified": True, "away_until": TOMORROW}, PLAIN, PLAIN, PLAIN],
        ENOUGH_KIT,
        {},
        False,
        "Only 1 of 5 members (20%) are fit for duty, available and hold a valid “资格",
    ),
]


class ReadinessTest(WorldTestCase):
    def build(self, members, equipment, fields):
        team_type, kind, item = make_type(min_headcount=4, share=50, quantity=2)
        team = make_team(self.world.a, team_type=team_type, authorised_strength=6, **fields)
        for spec in members:
            spec = dict(spec)
            kinds = [kind] if spec.pop("qualified", False) else []
            add_member(team, kinds=kinds, **spec)
        for quantity, condition in equipment:
            add_equipment(team, item, quantity, condition)
        return team

    def test_readiness_cases(self):
        for case, members, equipment, fields, ready, reason in CASES:
            with self.subTest(case), translation.override("en"):
                team = self.build(members, equipment, fields)
                annotated = Team.objects.with_readiness().get(pk=team.pk)
                readiness = annotated.readiness
                self.assertIs(readiness.ready, ready, readiness.reasons)
                self.assertEqual(readiness.reasons == [], ready, "the verdict and its reasons disagree")
                if reason:
                    self.assertTrue(any(reason in r for r in readiness.reasons), readiness.reasons)
                # The SQL filter agrees with the verdict.
                self.assertEqual(Team.objects.with_readiness().ready(ready).filter(pk=team.pk).exists(), True)

    def test_shares_are_reported_per_requirement(self):
        team = self.build([QUALIFIED, QUALIFIED, QUALIFIED, PLAIN], [(3, "serviceable")], {})
        readiness = Team.objects.with_readiness().get(pk=team.pk).readiness
        (qualification,) = readiness.qualifications
        self.assertEqual((qualification.holders, qualification.share, qualification.required_share), (3, 75, 50))
        (equipment,) = readiness.equipment
        self.assertEqual((equipment.serviceable, equipment.required, equipment.met), (3, 2, True))
        self.assertEqual((readiness.headcount, readiness.fit_headcount, readiness.authorised_strength), (4, 4, 6))
        self.assertEqual(readiness.available_headcount, 4)

    def test_two_qualifications_of_one_member_are_counted_once(self):
        team = self.build([QUALIFIED, PLAIN, PLAIN, PLAIN], ENOUGH_KIT, {})
        kind = team.team_type.qualification_requirements.get().kind
        from members.models import Qualification

        # The one qualified member gets a second certificate of the same kind.
        holder = Qualification.objects.get(person__memberships__team=team, kind=kind).person
        Qualification.objects.create(person=holder, kind=kind, issued=YESTERDAY)
        readiness = Team.objects.with_readiness().get(pk=team.pk).readiness
        self.assertEqual(readiness.qualifications[0].holders, 1)
        self.assertFalse(readiness.ready)

    def test_standby_coverage(self):
        now = timezone.now()
        spans = [
            ("covering now", (now - timedelta(hours=1), now + timedelta(hours=8)), True, True),
            ("starting in three days", (now + timedelta(days=3), now + timedelta(days=4)), False, True),
            ("starting in ten days", (now + timedelta(days=10), now + timedelta(days=11)), False, False),
            ("ended an hour ago", (now - timedelta(days=1), now - timedelta(hours=1)), False, False),
        ]
        for case, (start, end), covered_now, covered_soon in spans:
            with self.subTest(case), translation.override("en"):
                team = make_team(self.world.a)
                StandbyDuty.objects.create(
                    team=team, start=start, end=end, officer_name="王伟", officer_phone="13900000000"
                )
                readiness = Team.objects.with_readiness(now=now).get(pk=team.pk).readiness
                self.assertEqual((readiness.standby_now, readiness.standby_next_7_days), (covered_now, covered_soon))
                self.assertEqual("No standby duty covers the present time." in readiness.warnings, not covered_now)

    def test_a_whole_list_costs_a_fixed_number_of_queries(self):
        def measure():
            with CaptureQueriesContext(connection) as ctx:
                teams = list(Team.objects.with_readiness().select_related("team_type"))
                [t.readiness.reasons for t in teams]
            return len(teams), len(ctx.captured_queries)

        self.build([QUALIFIED, PLAIN], ENOUGH_KIT, {})
        few = measure()
        for _ in range(10):
            self.build([QUALIFIED, QUALIFIED, PLAIN, PLAIN, PLAIN], [(1, "serviceable")], {})
        many = measure()
        self.assertGreater(many[0], few[0])
        self.assertEqual(few[1], many[1], f"queries grow with the number of teams: {few} -> {many}")
        self.assertLessEqual(many[1], 5)


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


class StandbyOverlapTest(WorldTestCase):
    """A team cannot be on two standby duties at once; a duty must end after it starts."""

    def test_overlaps_are_refused(self):
        team = make_team(self.world.a)
        other = make_team(self.world.a)
        StandbyDuty.objects.create(
            team=team, start=at(TODAY, 8), end=at(TODAY, 16), officer_name="甲", officer_phone="1"
        )
        cases = [
            ("overlapping the end", team, at(TODAY, 12), at(TODAY, 20), False),
            ("inside", team, at(TODAY, 9), at(TODAY, 10), False),
            ("around", team, at(TODAY, 6), at(TODAY, 22), False),
            ("starting when it ends", team, at(TODAY, 16), at(TODAY, 20), True),
            ("ending when it starts", team, at(TODAY, 4), at(TODAY, 8), True),
            ("another team at the same time", other, at(TODAY, 8), at(TODAY, 16), True),
            ("ending before it starts", team, at(TOMORROW, 10), at(TOMORROW, 9), False),
        ]
        for case, which, start, end, allowed in cases:
            with self.subTest(case):
                duty = StandbyDuty(team=which, start=start, end=end, officer_name="乙", officer_phone="13900000000")
                if allowed:
                    duty.full_clean()
                else:
                    with self.assertRaises(ValidationError):
                        duty.full_clean()

    def test_editing_a_duty_does_not_collide_with_itself(self):
        team = make_team(self.world.a)
        duty = StandbyDuty.objects.create(
            team=team, start=at(TODAY, 8), end=at(TODAY, 16), officer_name="甲", officer_phone="1"
        )
        duty.end = at(TODAY, 18)
        duty.full_clean()  # the duty's own earlier times are not an overlap
        duty.save()
        self.assertEqual(StandbyDuty.objects.get(pk=duty.pk).end, at(TODAY, 18))
