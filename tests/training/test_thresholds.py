"""Grade thresholds apply to every office and saving them regrades a year: only a city (or
higher) office or a superuser changes them, through the API and the admin alike."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mobilization.roles import may_change_grade_thresholds
from tests.base import ROLES, WorldTestCase
from training import services
from training.models import Assessment, GradeThresholds

from .factories import make_exercise

YEAR = 2025


class GradeThresholdsRightsTest(WorldTestCase):
    def setUp(self):
        exercise = make_exercise(self.world.a, start=datetime.date(YEAR, 5, 1))
        self.assessment = Assessment.objects.create(exercise=exercise, team=exercise.teams.get(), score=Decimal("87"))
        self.assertEqual(self.assessment.grade, "good")

    def grade(self):
        self.assessment.refresh_from_db()
        return self.assessment.grade

    def payload(self, **changes):
        return {"year": YEAR, "excellent_min": "85", "good_min": "70", "pass_min": "50", **changes}

    def admin_payload(self):
        return {**self.payload(), "participation_target": "95", "excellent_target": "80"}

    def test_service_table(self):
        allowed = {"city_office"}
        for role in ROLES:
            with self.subTest(role=role):
                self.assertEqual(may_change_grade_thresholds(self.world.users[role]), role in allowed)
        self.assertTrue(may_change_grade_thresholds(self.world.superuser))
        with self.assertRaises(PermissionDenied):
            services.grade_thresholds_save(thresholds=GradeThresholds(year=YEAR), by=None)

    def test_district_office_is_refused_through_the_api_and_nothing_is_regraded(self):
        self.as_role("office")
        response = self.client.post(reverse("api:gradethresholds-list"), self.payload(), format="json")
        self.assertEqual(response.status_code, 403, response.content)
        self.assertIn("市级", str(response.json()))
        self.assertFalse(GradeThresholds.objects.exists())
        self.assertEqual(self.grade(), "good")
        existing = GradeThresholds.objects.create(year=YEAR)
        url = reverse("api:gradethresholds-detail", args=[existing.pk])
        self.assertEqual(self.client.patch(url, {"excellent_min": "85"}, format="json").status_code, 403)
        self.assertEqual(self.client.delete(url).status_code, 403)
        existing.refresh_from_db()
        self.assertEqual(existing.excellent_min, Decimal("90"))
        self.assertEqual(self.grade(), "good")

    def test_city_office_changes_them_through_the_api_and_assessments_are_regraded(self):
        self.as_role("city_office")
        response = self.client.post(reverse("api:gradethresholds-list"), self.payload(), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(self.grade(), "excellent")
        url = reverse("api:gradethresholds-detail", args=[GradeThresholds.objects.get(year=YEAR).pk])
        self.assertEqual(self.client.delete(url).status_code, 204)
        self.assertEqual(self.grade(), "good")  # back to the defaults

    def test_district_office_sees_them_read_only_in_the_admin(self):
        existing = GradeThresholds.objects.create(year=YEAR)
        self.login("office")
        self.assertEqual(self.client.get(reverse("admin:training_gradethresholds_add")).status_code, 403)
        change = reverse("admin:training_gradethresholds_change", args=[existing.pk])
        page = self.client.get(change)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="excellent_min"')
        self.client.post(change, self.admin_payload(), format="multipart")
        existing.refresh_from_db()
        self.assertEqual(existing.excellent_min, Decimal("90"))
        self.assertEqual(self.grade(), "good")
        delete = reverse("admin:training_gradethresholds_delete", args=[existing.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}, format="multipart").status_code, 403)
        self.assertTrue(GradeThresholds.objects.filter(pk=existing.pk).exists())

    def test_city_office_changes_them_in_the_admin(self):
        self.login("city_office")
        response = self.client.post(
            reverse("admin:training_gradethresholds_add"),
            self.admin_payload(),
            format="multipart",
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(GradeThresholds.objects.filter(year=YEAR, excellent_min=85).exists())
        self.assertEqual(self.grade(), "excellent")
