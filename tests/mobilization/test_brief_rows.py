"""What a page of rows costs per row, without changing a byte of what it says: detail URLs
formatted from one reverse() per route and request, the encrypted columns of rows shown only as
brief relations never read, and nested brief lists loading only their display."""

from django.urls import reverse as django_reverse
from rest_framework.request import Request
from rest_framework.reverse import reverse
from rest_framework.test import APIRequestFactory

from members.api.serializers import MembershipSerializer
from members.models import Membership
from mobilization.api.base import api_url, brief_deferred
from tests.base import WorldTestCase
from tests.factories import add_member, make_exercise, make_person, make_team, make_unit
from training.models import Exercise
from training.services import exercise_expect_attendance


class BriefRowsTest(WorldTestCase):
    def test_formatted_urls_are_what_reverse_gives(self):
        request = Request(APIRequestFactory().get("/api/v1/persons/", HTTP_HOST="testserver"))
        person = make_person(self.world.a.unit)
        region = self.world.a.county  # keyed by a string of digits
        for _ in range(2):  # the second time from the halves kept on the request
            self.assertEqual(api_url(person, request), reverse("api:person-detail", args=[person.pk], request=request))
            self.assertEqual(api_url(region, request), reverse("api:region-detail", args=[region.pk], request=request))
        self.assertEqual(api_url(person), django_reverse("api:person-detail", args=[person.pk]))

    def test_brief_relations_leave_encrypted_columns_unread(self):
        self.assertEqual(
            set(brief_deferred(MembershipSerializer)), {"person__phone", "person__emergency_contact_phone"}
        )
        person = add_member(make_team(self.world.a), phone="13812345678")
        membership = Membership.objects.get(person=person)
        self.as_role("office")
        response = self.client.get(reverse("api:membership-list"), {"page_size": 500})
        self.assertEqual(response.status_code, 200)
        rows = {row["id"]: row for row in response.json()["results"]}
        self.assertEqual(rows[membership.pk]["person"]["display"], membership.person.name)
        self.assertNotIn("phone", rows[membership.pk]["person"])
        # The view's own rows: the person's phones are deferred, not decrypted.
        loaded = response.renderer_context["view"].get_queryset().get(pk=membership.pk)
        self.assertTrue({"phone", "emergency_contact_phone"} <= loaded.person.get_deferred_fields())
        self.assertEqual(loaded.person.phone, "13812345678")  # still there when asked for

    def test_nested_brief_lists_show_the_same_teams_and_units(self):
        a = self.world.a
        teams = [make_team(a), make_team(a)]
        add_member(teams[0]), add_member(teams[0]), add_member(teams[1])
        exercise = make_exercise(a, teams=teams)
        exercise_expect_attendance(exercise=exercise)
        unit = make_unit(a)
        exercise.units.add(unit)
        self.as_role("office")
        response = self.client.get(reverse("api:exercise-list"), {"page_size": 500})
        self.assertEqual(response.status_code, 200)
        row = next(r for r in response.json()["results"] if r["id"] == exercise.pk)
        self.assertEqual(
            sorted((t["id"], t["display"], t["url"]) for t in row["teams"]),
            sorted((t.pk, t.name, f"http://testserver/api/v1/teams/{t.pk}/") for t in teams),
        )
        self.assertEqual([(u["id"], u["display"]) for u in row["units"]], [(unit.pk, unit.name)])
        detail = self.client.get(row["url"]).json()
        self.assertEqual(detail["teams"], row["teams"])
        # The counts read for the page's rows only are those the SQL annotation gives.
        counted = Exercise.objects.with_attendance().get(pk=exercise.pk)
        self.assertEqual((row["expected_count"], row["present_count"]), (counted.expected_count, counted.present_count))
        self.assertEqual(row["expected_count"], 3)
        self.assertEqual((detail["expected_count"], detail["present_count"]), (3, counted.present_count))
