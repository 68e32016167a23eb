"""The demo city, loaded once: its figures, that a second load changes nothing, and that every
admin changelist and API list over real volumes costs a fixed handful of queries (no N+1)."""

import io

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from mobilization.apps import project_app_configs
from mobilization.models import MemberUnit

PASSWORD = "Demo-test-2026"
ROLES = ["office", "district_office", "unit", "inspector", "director", "liaison", "auditor", "sysadmin", "secadmin"]
QUERY_CEILING = 25  # a page of 50 rows that queried per row would need 50 or more


def project_models():
    return [m for config in project_app_configs() for m in config.get_models()]


def row_counts():
    return {m._meta.label: m._default_manager.count() for m in project_models()}


class DemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", password=PASSWORD, stdout=io.StringIO())

    def test_one_user_per_role(self):
        users = get_user_model().objects.filter(username__in=ROLES)
        self.assertEqual(sorted(u.username for u in users), sorted(ROLES))
        for user in users:
            self.assertTrue(user.check_password(PASSWORD))

    def test_figures_of_the_source_documents(self):
        self.assertEqual(MemberUnit.objects.count(), 180)
        if apps.is_installed("teams"):
            from teams.models import Team, TeamCategory, TeamType

            self.assertEqual(TeamCategory.objects.count(), 6)
            self.assertGreaterEqual(TeamType.objects.count(), 20)
            self.assertEqual(Team.objects.filter(level="municipal").count(), 37)
            self.assertEqual(Team.objects.filter(level="county").count(), 123)
        from members.models import Person

        self.assertGreaterEqual(Person.objects.count(), 2000)
        self.assertLessEqual(Person.objects.count(), 2300)

    def test_second_run_changes_nothing(self):
        before = row_counts()
        call_command("seed_demo", password=PASSWORD, stdout=io.StringIO())
        self.assertEqual(row_counts(), before)

    def test_every_changelist_is_a_fixed_handful_of_queries(self):
        self.client.force_login(get_user_model().objects.get(username="office"))
        for model in admin.site._registry:
            if model._meta.app_label not in {config.label for config in project_app_configs()}:
                continue
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            with self.subTest(model=model._meta.label), CaptureQueriesContext(connection) as ctx:
                response = self.client.get(url)
                self.assertIn(response.status_code, (200, 403))
                self.assertLess(len(ctx.captured_queries), QUERY_CEILING, f"{url}: {len(ctx.captured_queries)} queries")

    def test_every_api_list_is_a_fixed_handful_of_queries(self):
        client = APIClient()
        client.force_authenticate(get_user_model().objects.get(username="office"))
        api = get_resolver().namespace_dict["api"][1]
        for name in sorted(n for n in api.reverse_dict.keys() if isinstance(n, str) and n.endswith("-list")):
            url = reverse(f"api:{name}")
            with self.subTest(url=url), CaptureQueriesContext(connection) as ctx:
                response = client.get(url + "?page_size=50")
                self.assertIn(response.status_code, (200, 403))
                self.assertLess(len(ctx.captured_queries), QUERY_CEILING, f"{url}: {len(ctx.captured_queries)} queries")
