"""The text searches (admin `?q=` and the API's `q`, both `icontains`) are served on PostgreSQL by
the GIN trigram indexes of the migrations: the index expression is the one Django compares."""

import unittest

from django.db import connection

from inspections.models import Facility, InspectionReport
from members.models import Person
from mobilization.models import MemberUnit
from teams.models import Team
from tests.base import WorldTestCase


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
