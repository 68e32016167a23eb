"""A nested list holds only what its reader may see (issue 10, NetBox's restricted prefetch):
a unit liaison who reads a county exercise through their own team does not learn, from its
`teams` and `units`, the teams and units of other member units."""

from django.urls import reverse

from tests.base import WorldTestCase
from tests.factories import make_exercise, make_team


class NestedScopeTest(WorldTestCase):
    def setUp(self):
        a = self.world.a
        self.own, self.other = make_team(a, unit=a.unit), make_team(a, unit=a.other_unit)
        self.exercise = make_exercise(a, teams=[self.own, self.other])
        self.exercise.units.set([a.unit, a.other_unit])

    def nested(self, role, url):
        self.as_role(role)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        row = body["results"][0] if "results" in body else body
        return {t["id"] for t in row["teams"]}, {u["id"] for u in row["units"]}

    def test_the_liaison_reads_only_its_own_teams_and_units_inside_the_exercise(self):
        a = self.world.a
        for url in (reverse("api:exercise-list"), reverse("api:exercise-detail", args=[self.exercise.pk])):
            with self.subTest(url=url):
                self.assertEqual(self.nested("unit", url), ({self.own.pk}, {a.unit.pk}))
                self.assertEqual(
                    self.nested("office", url), ({self.own.pk, self.other.pk}, {a.unit.pk, a.other_unit.pk})
                )
