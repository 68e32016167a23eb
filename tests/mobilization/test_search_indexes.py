"""The text searches (admin `?q=` and the API's `q`, both `icontains`) are served on PostgreSQL by
the GIN trigram indexes of the migrations: the index expression is the one Django compares."""

import unittest

from django.db import connection
from django.urls import reverse

from inspections.models import Facility, InspectionReport
from members.models import Person
from mobilization.models import MemberUnit
from mobilization.search import short_term_q
from teams.models import Team
from tests.base import WorldTestCase
from tests.factories import make_person


@unittest.skipUnless(connection.vendor == "postgresql", "pg_trgm indexes exist on PostgreSQL only")
class TrigramSearchTest(WorldTestCase):
    def test_each_search_can_read_its_trigram_index(self):
        cases = [
            (Person.objects.filter(name__icontains="张三丰"), "person_name_trgm"),
            (Team.objects.filter(name__icontains="救援队"), "team_name_trgm"),
            (MemberUnit.objects.filter(name__icontains="卫生局"), "memberunit_name_trgm"),
            (Facility.objects.filter(name__icontains="人防工程"), "facility_name_trgm"),
            (InspectionReport.objects.filter(findings__icontains="密封条"), "inspectionreport_findings_trgm"),
        ]
        with connection.cursor() as cursor:
            # A test table is too small to prefer an index: no sequential scan, and no walk of a b-tree
            # index in the list's order filtering every row (which a big table's planner would not
            # choose for a selective term). What is left is the bitmap scan a GIN index serves.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            for queryset, index in cases:
                with self.subTest(index=index):
                    self.assertIn(index, queryset.explain())


class ShortTermSearchTest(WorldTestCase):
    """A search of one or two characters adds "holds every character" (mobilization.search): the
    same rows, found through the character indexes on PostgreSQL."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        unit = cls.world.a.unit
        for name, specialty in [("王芳", ""), ("芳王", "电工"), ("王小芳", ""), ("张伟", "王牌司机"), ("李四", "")]:
            make_person(unit, name=name, specialty=specialty)

    def names(self, response):
        return sorted(row["name"] for row in response.json()["results"])

    def test_short_terms_find_the_substring_matches_only(self):
        self.as_role("office")
        url = reverse("api:person-list")
        # 芳王 holds both characters of 王芳 but not the substring; 王牌司机 is a specialty match.
        self.assertEqual(self.names(self.client.get(url, {"q": "王芳"})), ["王芳"])
        self.assertEqual(self.names(self.client.get(url, {"q": "王"})), ["张伟", "王小芳", "王芳", "芳王"])
        self.assertEqual(self.names(self.client.get(url, {"q": "王小芳"})), ["王小芳"])

        self.client.force_login(self.world.users["office"])
        changelist = reverse("admin:members_person_changelist")
        page = self.client.get(changelist, {"q": "王芳"}).content.decode()
        self.assertIn(">王芳<", page)
        self.assertNotIn(">芳王<", page)
        self.assertNotIn(">王小芳<", page)

    @unittest.skipUnless(connection.vendor == "postgresql", "the character indexes exist on PostgreSQL only")
    def test_each_short_search_can_read_its_character_index(self):
        cases = [
            (Person, ["name", "specialty"], ["person_name_chars", "person_specialty_chars"]),
            (Team, ["name"], ["team_name_chars"]),
            (MemberUnit, ["name"], ["memberunit_name_chars"]),
            (Facility, ["name"], ["facility_name_chars"]),
            (InspectionReport, ["findings"], ["inspectionreport_findings_chars"]),
        ]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            for model, paths, indexes in cases:
                plan = model.objects.filter(short_term_q(model, paths, "王芳")).explain()
                for index in indexes:
                    with self.subTest(index=index):
                        self.assertIn(index, plan)
        self.assertIsNone(short_term_q(Person, ["name"], "王小芳"))  # three characters: the trigram index
        self.assertIsNone(short_term_q(Team, ["name", "duty_phone"], "王"))  # an unindexed column in the OR
        self.assertIsNone(short_term_q(InspectionReport, ["facility__name", "findings"], "王"))  # two tables
