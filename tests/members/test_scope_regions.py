"""The kept regions of persons (PersonRegion) and of inspection reports (InspectionReport.region):
whatever writes the rows they derive from (services, admin-style saves, roster imports, a member
unit, team or facility moving to another region), an office's scoped counts stay what the joins
would give."""

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from inspections.models import InspectionReport
from members.models import Membership, Person, PersonRegion
from members.services import person_regions_refresh, person_update, roster_change_approve
from mobilization.querysets import region_prefix
from tests.base import WorldTestCase
from tests.factories import add_member, make_change, make_facility, make_person, make_report, make_team, make_unit


def joined_count(office_region, model=Person):
    """The office's persons by the joins the kept table stands for (employer's or a team's region)."""
    prefix = region_prefix(office_region)
    if model is Person:
        through_teams = Membership.objects.filter(team__region__code__startswith=prefix).values("person_id")
        return Person.objects.filter(Q(employer__region__code__startswith=prefix) | Q(pk__in=through_teams)).count()
    return InspectionReport.objects.filter(facility__region__code__startswith=prefix).count()


class PersonRegionsTest(WorldTestCase):
    def counts(self):
        """(A's city office, A's county office, B's city office) persons, through visible_to."""
        a_city, a_county = self.world.users["city_office"], self.world.users["office"]
        return (
            Person.objects.visible_to(a_city).count(),
            Person.objects.visible_to(a_county).count(),
            Person.objects.filter(employer__region__code__startswith="3704").count(),
        )

    def assert_as_joined(self):
        for user in (self.world.users["city_office"], self.world.users["office"], self.world.users["liaison"]):
            region = user.profile.region_id
            self.assertEqual(Person.objects.visible_to(user).count(), joined_count(region), region)

    def test_moving_a_unit_and_a_person_moves_their_scope(self):
        a, b = self.world.a, self.world.b
        unit = make_unit(a)
        people = [make_person(unit) for _ in range(3)]
        team_b = make_team(b, unit=b.unit)
        served = add_member(team_b)  # employed on B's side, serving in a team of B
        self.assert_as_joined()
        before = self.counts()

        # The unit moves to B: its three people leave A's scope.
        unit.region = b.county
        unit.save()
        self.assertEqual(self.counts()[:2], (before[0] - 3, before[1] - 3))
        self.assert_as_joined()

        # A person changes employer (through the service) back to A's side.
        person_update(person=people[0], employer=a.unit)
        self.assertEqual(self.counts()[0], before[0] - 2)
        self.assert_as_joined()

        # A person of B joins a team of A: A's offices see them through the team.
        team_a = make_team(a)
        Membership.objects.filter(person=served, team=team_b).update(left="2023-12-31")
        membership = Membership.objects.create(person=served, team=team_a, joined="2024-01-01")
        self.assertIn(served, Person.objects.visible_to(self.world.users["office"]))
        self.assert_as_joined()

        # The team moves to B; then the membership is deleted: A's offices lose them again.
        team_a.region = b.county
        team_a.save()
        self.assertNotIn(served, Person.objects.visible_to(self.world.users["office"]))
        team_a.region = a.county
        team_a.save()
        self.assertIn(served, Person.objects.visible_to(self.world.users["office"]))
        membership.delete()
        self.assertNotIn(served, Person.objects.visible_to(self.world.users["office"]))
        self.assert_as_joined()

    def test_a_roster_import_approved_in_bulk_is_in_scope(self):
        change = make_change(self.world.users["unit"], self.world.a)
        before = Person.objects.visible_to(self.world.users["office"]).count()
        roster_change_approve(change=change, by=self.world.users["office"])
        self.assertEqual(Person.objects.visible_to(self.world.users["office"]).count(), before + 1)
        self.assert_as_joined()

    def test_a_rebuild_gives_the_same_rows(self):
        add_member(make_team(self.world.a))
        add_member(make_team(self.world.b), joined="2019-01-01")
        kept = set(PersonRegion.objects.values_list("person_id", "region_id"))
        self.assertTrue(kept)
        person_regions_refresh()
        self.assertEqual(set(PersonRegion.objects.values_list("person_id", "region_id")), kept)

    def test_the_scope_is_one_range_on_the_kept_table(self):
        sql = str(Person.objects.visible_to(self.world.users["city_office"]).query)
        self.assertIn("members_personregion", sql)
        self.assertNotIn("members_membership", sql)

    def test_an_office_count_reads_the_kept_table_alone_and_stays_exact(self):
        a = self.world.a
        team = make_team(a)
        employed_elsewhere = make_person(self.world.b.unit)
        Membership.objects.create(person=employed_elsewhere, team=team, joined="2020-01-01")
        add_member(team)  # employed and serving in A's city: two pairs, one person
        office = self.world.users["city_office"]
        scoped = Person.objects.visible_to(office)
        with CaptureQueriesContext(connection) as counted:
            total = scoped.count()
        self.assertEqual(total, len(list(scoped)))
        self.assertEqual(total, joined_count(office.profile.region_id))
        [sql] = [q["sql"] for q in counted.captured_queries]
        self.assertIn("COUNT(DISTINCT", sql)
        self.assertNotIn('"members_person"', sql)
        # Ordered and joined for a page, it is the same list, so the same count.
        self.assertEqual(scoped.select_related("employer").order_by("name").count(), total)

        # Any further filter counts the usual way, and exactly.
        named = scoped.filter(name=employed_elsewhere.name)
        with CaptureQueriesContext(connection) as counted:
            self.assertEqual(named.count(), 1)
        self.assertIn('"members_person"', counted.captured_queries[0]["sql"])
        self.assertEqual(scoped.exclude(pk=employed_elsewhere.pk).count(), total - 1)
        # Scoping an already filtered queryset does not take the kept count either.
        self.assertEqual(Person.objects.filter(pk=employed_elsewhere.pk).visible_to(office).count(), 1)


class ReportRegionTest(WorldTestCase):
    def test_a_report_keeps_its_facility_region_when_the_facility_moves(self):
        a, b = self.world.a, self.world.b
        facility = make_facility(a)
        reports = [make_report(a, self.world.users["inspector"], facility=facility) for _ in range(2)]
        self.assertEqual({r.region_id for r in reports}, {a.village.code})
        office = self.world.users["office"]
        before = InspectionReport.objects.visible_to(office).count()
        self.assertEqual(before, joined_count(a.county.code, InspectionReport))

        facility.region = b.village
        facility.save()
        self.assertEqual(InspectionReport.objects.visible_to(office).count(), before - 2)
        self.assertEqual(
            set(InspectionReport.objects.filter(facility=facility).values_list("region_id", flat=True)),
            {b.village.code},
        )
        self.assertEqual(
            InspectionReport.objects.visible_to(office).count(), joined_count(a.county.code, InspectionReport)
        )

        # A report moved to another facility follows it.
        report = reports[0]
        report.facility = make_facility(a)
        report.save(update_fields=["facility"])
        report.refresh_from_db()
        self.assertEqual(report.region_id, a.village.code)
