"""A person's availability: set by the liaison (API, portal) or the office (admin), validated,
audited, and read by readiness (tests/teams/test_readiness.py) and the call-out."""

import datetime

from django.urls import reverse
from django.utils import timezone

from members.models import Person
from mobilization.choices import AuditActionChoices
from mobilization.models import AuditEvent
from tests.base import ROLES, WorldTestCase
from tests.factories import make_person

TODAY = timezone.localdate()
NEXT_WEEK = TODAY + datetime.timedelta(days=7)


class AvailabilityAPITest(WorldTestCase):
    def url(self, person):
        return reverse("api:person-availability", args=[person.pk])

    def test_per_role_and_out_of_scope(self):
        allowed = {"city_office", "office", "unit"}
        outside = make_person(self.world.b.unit)
        body = {"available": False, "until": NEXT_WEEK.isoformat(), "reason": "illness", "note": "住院"}
        for role in ROLES:
            with self.subTest(role=role):
                person = make_person(self.world.a.unit)
                self.as_role(role)
                response = self.client.post(self.url(person), body, format="json")
                if role in allowed:
                    self.assertEqual(response.status_code, 200, response.content)
                    self.assertEqual(
                        (response.json()["unavailable_until"], response.json()["unavailable_reason"]),
                        (NEXT_WEEK.isoformat(), "illness"),
                    )
                    self.assertEqual(self.client.post(self.url(outside), body, format="json").status_code, 404)
                else:
                    self.assertIn(response.status_code, (403, 404))
                    person.refresh_from_db()
                    self.assertIsNone(person.unavailable_until)

    def test_bad_input_names_the_field_and_changes_nothing(self):
        person = make_person(self.world.a.unit)
        self.as_role("unit")
        cases = [
            ({"available": False, "reason": "travel"}, "until"),
            (
                {"available": False, "until": (TODAY - datetime.timedelta(days=1)).isoformat(), "reason": "travel"},
                "until",
            ),
            ({"available": False, "until": NEXT_WEEK.isoformat()}, "reason"),
            ({"available": False, "until": NEXT_WEEK.isoformat(), "reason": "bored"}, "reason"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                response = self.client.post(self.url(person), body, format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json())
        person.refresh_from_db()
        self.assertIsNone(person.unavailable_until)

    def test_available_again_clears_and_every_change_is_audited(self):
        person = make_person(self.world.a.unit)
        self.as_role("unit")
        self.client.post(
            self.url(person), {"available": False, "until": NEXT_WEEK.isoformat(), "reason": "travel"}, format="json"
        )
        response = self.client.post(self.url(person), {"available": True}, format="json")
        self.assertEqual(response.json().get("unavailable_until", response.json()), None)
        person.refresh_from_db()
        self.assertEqual((person.unavailable_until, person.unavailable_reason), (None, ""))
        events = AuditEvent.objects.filter(action=AuditActionChoices.AVAILABILITY, object_id=str(person.pk))
        self.assertEqual(events.count(), 2)
        self.assertEqual(events.filter(username="t_unit").count(), 2)
        self.assertEqual(Person.objects.available_on(TODAY).filter(pk=person.pk).count(), 1)


class AvailabilityPortalTest(WorldTestCase):
    def test_the_liaison_marks_a_person_unavailable_in_the_portal(self):
        person = make_person(self.world.a.unit)
        self.login("unit")
        url = reverse("portal:members-availability", args=[person.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url, {"available": "0", "until": NEXT_WEEK.isoformat(), "reason": "duty_elsewhere"}, format="multipart"
        )
        self.assertEqual(response.status_code, 302)
        person.refresh_from_db()
        self.assertEqual((person.unavailable_until, person.unavailable_reason), (NEXT_WEEK, "duty_elsewhere"))
        self.assertFalse(person.is_available(TODAY))
        self.assertTrue(person.is_available(NEXT_WEEK + datetime.timedelta(days=1)))
        # Missing the reason: the form shows the error and nothing changes.
        bad = self.client.post(
            url, {"available": "0", "until": NEXT_WEEK.isoformat(), "reason": ""}, format="multipart"
        )
        self.assertEqual(bad.status_code, 200)
        self.assertContains(bad, "errorlist")

    def test_out_of_scope_is_404_and_a_reader_is_refused(self):
        self.login("unit")
        outside = make_person(self.world.b.unit)
        self.assertEqual(self.client.get(reverse("portal:members-availability", args=[outside.pk])).status_code, 404)
        self.login("liaison")
        inside = make_person(self.world.a.unit)
        self.assertEqual(self.client.get(reverse("portal:members-availability", args=[inside.pk])).status_code, 403)

    def test_the_office_sets_it_in_the_admin(self):
        person = make_person(self.world.a.unit, phone="13912345678")
        self.login("office")
        url = reverse("admin:members_person_change", args=[person.pk])
        form = self.client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None and k != "id_number"}
        data.update(
            {
                "employer": person.employer_id,
                "unavailable_until": NEXT_WEEK.isoformat(),
                "unavailable_reason": "illness",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
                "qualifications-TOTAL_FORMS": "0",
                "qualifications-INITIAL_FORMS": "0",
            }
        )
        response = self.client.post(url, data, format="multipart")
        self.assertEqual(response.status_code, 302, getattr(response, "context", {}) and response.context["errors"])
        person.refresh_from_db()
        self.assertEqual(person.unavailable_until, NEXT_WEEK)
        self.assertTrue(
            AuditEvent.objects.filter(action=AuditActionChoices.AVAILABILITY, object_id=str(person.pk)).exists()
        )
