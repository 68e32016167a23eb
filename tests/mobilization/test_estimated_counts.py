"""An unfiltered API list of a big table on PostgreSQL counts by the planner's estimate, marked by
a header; a filtered or scoped list keeps its exact count."""

import unittest

from django.db import connection
from django.test import override_settings
from django.urls import reverse

from members.models import Person
from mobilization.api.pagination import forget_table_estimates
from tests.base import WorldTestCase
from tests.factories import make_person


@unittest.skipUnless(connection.vendor == "postgresql", "the estimate is PostgreSQL's pg_class.reltuples")
@override_settings(API_COUNT_ESTIMATE_ABOVE=0)
class EstimatedCountTest(WorldTestCase):
    def test_only_the_unfiltered_list_is_estimated_and_says_so(self):
        for _ in range(3):
            make_person(self.world.a.unit)
        make_person(self.world.b.unit, name="枣庄人员")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE members_person")
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'members_person'::regclass")
            estimate = cursor.fetchone()[0]
        forget_table_estimates()  # this process may have read the table's estimate before the ANALYZE
        url = reverse("api:person-list")

        self.as_role("root")
        response = self.client.get(url)
        self.assertEqual(response.headers.get("X-Count-Estimated"), "true")
        self.assertEqual(response.json()["count"], estimate)

        searched = self.client.get(url, {"q": "枣庄"})
        self.assertNotIn("X-Count-Estimated", searched.headers)
        self.assertEqual(searched.json()["count"], 1)

        self.as_role("city_office")
        scoped = self.client.get(url)
        self.assertNotIn("X-Count-Estimated", scoped.headers)
        self.assertEqual(scoped.json()["count"], Person.objects.visible_to(self.world.users["city_office"]).count())
