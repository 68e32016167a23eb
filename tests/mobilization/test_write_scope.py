"""Reading through a related row is not owning: a district office sees the city's exercise its
team takes part in, but may not change or delete it, in the API or the admin."""

from django.urls import reverse

from tests.base import WorldTestCase
from tests.factories import make_exercise, make_team
from training.models import Exercise


class WriteScopeTest(WorldTestCase):
    def setUp(self):
        a = self.world.a
        self.district_team = make_team(a)
        # Organised by the city office; a district team takes part, so the district sees it.
        self.city_exercise = make_exercise(a, office=a.city_office, teams=[self.district_team], title="全市综合演练")
        self.own_exercise = make_exercise(a, teams=[self.district_team], title="区级消防演练")

    def test_api_reads_but_refuses_to_change_or_delete(self):
        self.as_role("office")
        url = reverse("api:exercise-detail", args=[self.city_exercise.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.patch(url, {"title": "改名"}, format="json").status_code, 403)
        self.assertEqual(self.client.delete(url).status_code, 403)
        self.city_exercise.refresh_from_db()
        self.assertEqual(self.city_exercise.title, "全市综合演练")
        # Its own exercise it changes; the city office changes the city's.
        own = reverse("api:exercise-detail", args=[self.own_exercise.pk])
        self.assertEqual(self.client.patch(own, {"title": "区级消防演练（改）"}, format="json").status_code, 200)
        self.as_role("city_office")
        self.assertEqual(self.client.patch(url, {"title": "全市综合演练（改）"}, format="json").status_code, 200)

    def test_a_district_may_not_advance_the_citys_competition(self):
        from training.models import Competition

        competition = Competition.objects.create(name="全市技能竞赛", year=2026, office=self.world.a.city_office)
        make_exercise(self.world.a, teams=[self.district_team], kind="competition", competition=competition, stage=1)
        url = reverse("api:competition-advance", args=[competition.pk])
        self.as_role("office")
        self.assertEqual(self.client.get(reverse("api:competition-detail", args=[competition.pk])).status_code, 200)
        self.assertEqual(self.client.post(url, {"stage": 1, "top": 1}, format="json").status_code, 403)

    def test_an_update_may_not_hand_a_record_to_another_office(self):
        self.as_role("office")
        own = reverse("api:exercise-detail", args=[self.own_exercise.pk])
        response = self.client.patch(own, {"office": self.world.a.city_office.pk}, format="json")
        self.assertEqual(response.status_code, 400, response.content)
        self.own_exercise.refresh_from_db()
        self.assertEqual(self.own_exercise.office, self.world.a.office)

    def test_admin_shows_it_read_only(self):
        self.login("office")
        url = reverse("admin:training_exercise_change", args=[self.city_exercise.pk])
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="_save"')
        self.client.post(url, {"title": "改名"})
        self.assertEqual(Exercise.objects.get(pk=self.city_exercise.pk).title, "全市综合演练")
        delete = reverse("admin:training_exercise_delete", args=[self.city_exercise.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(Exercise.objects.filter(pk=self.city_exercise.pk).exists())
        self.assertContains(
            self.client.get(reverse("admin:training_exercise_change", args=[self.own_exercise.pk])), 'name="_save"'
        )


class DrillReachTest(WorldTestCase):
    """Everyone reminded of a 9.18 alarm test can open it."""

    def setUp(self):
        from tests.factories import make_drill

        a = self.world.a
        # The city's drill; the district's liaison unit takes part as a unit, with no team.
        self.drill = make_drill(a, year=2026, region=a.city, teams=[])
        self.drill.units.set([a.unit])

    def test_a_participating_unit_reads_it_in_the_api_and_portal(self):
        self.as_role("unit")
        self.assertEqual(self.client.get(reverse("api:alarmtestdrill-detail", args=[self.drill.pk])).status_code, 200)
        self.login("unit")
        self.assertEqual(self.client.get(reverse("portal:training-drill", args=[self.drill.pk])).status_code, 200)

    def test_a_unit_not_taking_part_does_not_reach_it(self):
        self.drill.units.set([self.world.a.other_unit])  # not the liaison's unit, nor one it manages
        self.as_role("unit")
        self.assertEqual(self.client.get(reverse("api:alarmtestdrill-detail", args=[self.drill.pk])).status_code, 404)
        response = self.client.get(reverse("api:alarmtestdrill-list"))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(str(self.drill.pk), self.ids_in(response))

    def test_the_grid_roles_read_no_drill_at_all(self):
        # Inspectors and station directors hold no permission on drills: the list is refused as a
        # kind (403); a drill, beyond their scope, is as absent as any such row (404).
        for role in ("inspector", "director"):
            with self.subTest(role=role):
                self.as_role(role)
                detail = self.client.get(reverse("api:alarmtestdrill-detail", args=[self.drill.pk]))
                self.assertEqual(detail.status_code, 404)
                self.assertEqual(self.client.get(reverse("api:alarmtestdrill-list")).status_code, 403)

    def test_offices_below_its_region_read_it_but_do_not_change_it(self):
        self.drill.units.clear()
        self.as_role("office")  # the district office, below the city
        url = reverse("api:alarmtestdrill-detail", args=[self.drill.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.patch(url, {"reminder_days": "1"}, format="json").status_code, 403)
        self.as_role("city_office")
        self.assertEqual(self.client.patch(url, {"reminder_days": "3,1"}, format="json").status_code, 200)

    def test_offices_of_another_city_do_not_see_it(self):
        from mobilization.choices import RoleChoices
        from mobilization.services import user_assign_role

        b = self.world.b
        for name, region in (("t_b_city", b.city), ("t_b_county", b.county)):
            with self.subTest(office=name):
                other = user_assign_role(username=name, role=RoleChoices.OFFICE_STAFF, region=region)
                self.client.force_authenticate(other)
                url = reverse("api:alarmtestdrill-detail", args=[self.drill.pk])
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_school_in_an_evacuation_drill_reads_the_drill_and_the_exercise(self):
        from mobilization.choices import RoleChoices
        from mobilization.services import user_assign_role

        a = self.world.a
        self.drill.units.clear()
        evacuation = make_exercise(a, kind="evacuation", teams=[], drill=self.drill)
        evacuation.units.set([a.child_unit])
        school = user_assign_role(
            username="t_school", role=RoleChoices.UNIT_LIAISON, region=a.county, member_unit=a.child_unit
        )
        self.client.force_authenticate(school)
        self.assertEqual(self.client.get(reverse("api:alarmtestdrill-detail", args=[self.drill.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("api:exercise-detail", args=[evacuation.pk])).status_code, 200)
        # Side B's liaison sees neither.
        self.as_role("unit")
        other = make_exercise(self.world.b, kind="evacuation", teams=[])
        self.assertEqual(self.client.get(reverse("api:exercise-detail", args=[other.pk])).status_code, 404)
