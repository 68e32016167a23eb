"""The kept regions of exercises (ExerciseRegion): whatever writes the rows they derive from (an
exercise's office, its teams and units added or removed from either side, a team, unit or office
moving to another region, a team deleted, the bulk scale loader), an office's exercises stay
what the joins the table stands for would give, and the API lists exactly those."""

from django.db.models import Q
from django.urls import reverse

from mobilization.models import Region
from mobilization.querysets import region_prefix
from teams.models import Team
from tests.base import WorldTestCase
from tests.factories import make_exercise, make_team, make_unit
from training.models import Exercise, ExerciseRegion
from training.services import exercise_regions_refresh


def joined_ids(region):
    """The exercises an office of `region` sees by the joins: organised there, or a team or a
    member unit of that region taking part."""
    prefix = region_prefix(region)
    return set(
        Exercise.objects.filter(
            Q(office__region__code__startswith=prefix)
            | Q(pk__in=Exercise.teams.through.objects.filter(team__region__code__startswith=prefix).values("exercise"))
            | Q(
                pk__in=Exercise.units.through.objects.filter(memberunit__region__code__startswith=prefix).values(
                    "exercise"
                )
            )
        ).values_list("pk", flat=True)
    )


def kept_ids(region):
    prefix = region_prefix(region)
    return set(ExerciseRegion.objects.filter(region__code__startswith=prefix).values_list("exercise_id", flat=True))


class ExerciseRegionsTest(WorldTestCase):
    def assert_as_joined(self):
        """The kept table gives the joins' answer for both sides' cities and counties, and each
        office-level user of A sees exactly that through visible_to."""
        a, b = self.world.a, self.world.b
        for region in (a.city, a.county, b.city, b.county):
            self.assertEqual(kept_ids(region.code), joined_ids(region.code), region.code)
        for role in ("city_office", "office", "liaison"):
            user = self.world.users[role]
            visible = set(Exercise.objects.visible_to(user).values_list("pk", flat=True))
            self.assertEqual(visible, joined_ids(user.profile.region_id), role)

    def seen_by_b(self, exercise):
        return exercise.pk in joined_ids(self.world.b.county.code) and exercise.pk in kept_ids(self.world.b.county.code)

    def test_teams_units_and_offices_moving_move_the_exercise(self):
        a, b = self.world.a, self.world.b
        team_b = make_team(b, unit=b.unit)
        exercise = make_exercise(a, teams=[make_team(a)])
        self.assertFalse(self.seen_by_b(exercise))
        self.assert_as_joined()

        # A team of B joins (forward add), then leaves (reverse remove).
        exercise.teams.add(team_b)
        self.assertTrue(self.seen_by_b(exercise))
        team_b.exercises.remove(exercise)
        self.assertFalse(self.seen_by_b(exercise))
        self.assert_as_joined()

        # Joining from the team's side, then the team moves to A, then back, then leaves all.
        team_b.exercises.add(exercise)
        self.assertTrue(self.seen_by_b(exercise))
        team_b.region = a.county
        team_b.save()
        self.assertFalse(self.seen_by_b(exercise))
        team_b.region = b.county
        team_b.save(update_fields=["region"])
        self.assertTrue(self.seen_by_b(exercise))
        team_b.exercises.clear()
        self.assertFalse(self.seen_by_b(exercise))
        self.assert_as_joined()

        # A member unit of B takes part; it moves to A; it comes back; the units are cleared.
        unit = make_unit(b)
        exercise.units.add(unit)
        self.assertTrue(self.seen_by_b(exercise))
        unit.region = a.county
        unit.save()
        self.assertFalse(self.seen_by_b(exercise))
        unit.region = b.county
        unit.save()
        self.assertTrue(self.seen_by_b(exercise))
        exercise.units.clear()
        self.assertFalse(self.seen_by_b(exercise))
        self.assert_as_joined()

        # The exercise is handed to B's office: A's offices lose it, its teams of A keep it in A's.
        exercise.office = b.office
        exercise.save()
        self.assertTrue(self.seen_by_b(exercise))
        self.assert_as_joined()
        exercise.teams.clear()
        self.assertNotIn(exercise, Exercise.objects.visible_to(self.world.users["office"]))
        self.assert_as_joined()

    def test_an_office_moving_and_a_team_deleted_leave_no_stale_region(self):
        a, b = self.world.a, self.world.b
        lone = make_team(b, unit=b.unit)
        exercise = make_exercise(a, teams=[lone])
        self.assertTrue(self.seen_by_b(exercise))
        lone.delete()  # a team with no roster or call-out may be deleted: its links go with it
        self.assertFalse(Team.objects.filter(pk=lone.pk).exists())
        self.assertFalse(self.seen_by_b(exercise))
        self.assert_as_joined()

        # A's county office is re-bound to a new region under B's city: its exercises follow.
        office = a.office
        moved_to = Region.objects.create(code="370499000000", name="新区", level="county", parent=b.city)
        office.region = moved_to
        office.save()
        self.assertIn(exercise.pk, kept_ids(b.city.code))
        self.assertNotIn(exercise.pk, kept_ids(a.city.code))
        self.assertEqual(kept_ids(b.city.code), joined_ids(b.city.code))

    def test_bulk_writes_are_refreshed_and_a_full_rebuild_is_the_same(self):
        a, b = self.world.a, self.world.b
        exercises = [make_exercise(a), make_exercise(b)]
        team_b = make_team(b, unit=b.unit)
        # A bulk insert of links sends no signal: the loader refreshes what it wrote.
        Exercise.teams.through.objects.bulk_create([Exercise.teams.through(exercise=exercises[0], team=team_b)])
        self.assertIn(exercises[0].pk, joined_ids(b.county.code))
        self.assertNotIn(exercises[0].pk, kept_ids(b.county.code))
        exercise_regions_refresh([exercises[0].pk])
        self.assertTrue(self.seen_by_b(exercises[0]))
        before = sorted(ExerciseRegion.objects.values_list("exercise_id", "region_id"))
        exercise_regions_refresh()
        self.assertEqual(sorted(ExerciseRegion.objects.values_list("exercise_id", "region_id")), before)
        self.assert_as_joined()

    def test_the_api_lists_what_the_joins_give(self):
        a, b = self.world.a, self.world.b
        mine, theirs, joined = make_exercise(a), make_exercise(b), make_exercise(b)
        joined.teams.add(make_team(a))
        self.as_role("office")
        response = self.client.get(reverse("api:exercise-list"), {"page_size": 500})
        self.assertEqual(response.status_code, 200)
        ids = {row["id"] for row in response.json()["results"]}
        self.assertIn(mine.pk, ids)
        self.assertIn(joined.pk, ids)
        self.assertNotIn(theirs.pk, ids)
        self.assertEqual(ids, joined_ids(a.county.code))
