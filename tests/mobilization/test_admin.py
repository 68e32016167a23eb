"""The office admin: scoped per role, 404 beyond scope, flat changelists, Chinese by default."""

from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mobilization.models import MemberUnit
from tests.base import WorldTestCase, make_credit_code


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


class AdminScopingTest(WorldTestCase):
    def test_district_office_sees_its_units_only(self):
        self.login("office")
        response = self.client.get(changelist(MemberUnit))
        self.assertEqual(response.status_code, 200)
        names = {u.name for u in response.context["cl"].result_list}
        self.assertIn(self.world.a.unit.name, names)
        self.assertNotIn(self.world.b.unit.name, names)

    def test_object_out_of_scope_is_404_on_change_history_and_delete(self):
        self.login("office")
        other = self.world.b.unit
        for url in (
            change(other),
            change(other).replace("change", "history"),
            change(other).replace("change", f"history/{other.history.first().history_id}"),
            change(other).replace("change", "delete"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        response = self.client.post(change(other), {"name": "hijack"})
        self.assertEqual(response.status_code, 404)
        other.refresh_from_db()
        self.assertNotEqual(other.name, "hijack")

    def test_foreign_key_choices_are_scoped(self):
        self.login("office")
        response = self.client.get(reverse("admin:mobilization_memberunitcontact_add"))
        choices = response.context["adminform"].form.fields["unit"].queryset
        self.assertIn(self.world.a.unit, choices)
        self.assertNotIn(self.world.b.unit, choices)

    def test_autocomplete_is_scoped(self):
        self.login("office")
        url = (
            reverse("admin:autocomplete") + "?app_label=mobilization&model_name=memberunitcontact&field_name=unit&term="
        )
        ids = {row["id"] for row in self.client.get(url).json()["results"]}
        self.assertIn(str(self.world.a.unit.pk), ids)
        self.assertNotIn(str(self.world.b.unit.pk), ids)

    def test_military_liaison_reads_but_cannot_change(self):
        self.login("liaison")
        self.assertEqual(self.client.get(changelist(MemberUnit)).status_code, 200)
        response = self.client.post(change(self.world.a.unit), {"name": "x"})
        self.assertEqual(response.status_code, 403)

    def test_portal_roles_do_not_enter_the_admin(self):
        for role in ("unit", "inspector"):
            with self.subTest(role=role):
                self.login(role)
                response = self.client.get(changelist(MemberUnit))
                self.assertEqual(response.status_code, 302)
                self.assertIn("login", response["Location"])

    def test_auditor_reads_the_audit_trail_not_the_units(self):
        self.login("auditor")
        self.assertEqual(self.client.get(reverse("admin:mobilization_auditevent_changelist")).status_code, 200)
        self.assertEqual(self.client.get(changelist(MemberUnit)).status_code, 403)

    def test_changelist_queries_do_not_grow_with_rows(self):
        self.login("city_office")
        counts = []
        for extra in (0, 20):
            for _ in range(extra):
                MemberUnit.objects.create(
                    name="u", credit_code=make_credit_code(), kind="enterprise", sector="health",
                    region=self.world.a.county, managed_by=self.world.a.unit,
                )  # fmt: skip
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(changelist(MemberUnit)).status_code, 200)
            counts.append(len(ctx.captured_queries))
        self.assertEqual(counts[0], counts[1], counts)


class AdminEveryModelTest(WorldTestCase):
    """Every registered model's changelist opens for the city office with a flat query count."""

    def test_every_changelist_opens(self):
        self.login("city_office")
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label in ("auth", "authtoken", "django_celery_beat", "axes"):
                continue
            with self.subTest(model=model._meta.label):
                self.assertTrue(model_admin.search_fields, "no search_fields")
                response = self.client.get(changelist(model))
                self.assertIn(response.status_code, (200, 403), response.status_code)


class AdminLanguageTest(WorldTestCase):
    def test_chinese_by_default_and_english_when_switched(self):
        self.login("office")
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "国防动员办公室")
        self.assertContains(response, "成员单位")
        self.client.post(
            reverse("set_language"), {"language": "en", "next": reverse("admin:index")}, format="multipart"
        )
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Member units")
        self.assertNotContains(response, "成员单位")


class NotificationAdminTest(WorldTestCase):
    def test_the_reader_sees_what_a_notification_is_about_in_chinese(self):
        from mobilization.models import Notification
        from mobilization.services import notify

        notify(
            recipients=[self.world.users["office"]],
            key="t:1",
            kind="rectification_overdue",
            title="人防工程A未按期整改",
        )
        self.login("office")
        response = self.client.get(changelist(Notification), HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(response, "人防工程A未按期整改")
        self.assertContains(response, "整改逾期")  # the kind, in the reader's language
        self.assertNotContains(response, "rectification_overdue</td>")
