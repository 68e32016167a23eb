"""Reading through a related row is not owning: a district office sees the city's exercise its
team takes part in, but may not change or delete it, in the API or the admin."""

from django.urls import reverse

from tests.base import WorldTestCase
from tests.training.factories import make_exercise, make_team
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
