"""The office admin: scoped per role, 404 beyond scope, flat changelists, Chinese by default."""

from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mobilization.models import MemberUnit
from tests.base import MAY_NOT_OPEN, MAY_OPEN_ONLY, PACKAGE_ADMIN, PORTAL_ONLY, ROLES, WorldTestCase, make_row, may_open
from tests.factories import make_unit


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
                make_unit(self.world.a, managed_by=self.world.a.unit)
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(changelist(MemberUnit)).status_code, 200)
            counts.append(len(ctx.captured_queries))
        self.assertEqual(counts[0], counts[1], counts)


class AdminEveryModelTest(WorldTestCase):
    """Every registered model's changelist opens exactly for the roles that may read it."""

    def test_every_role_is_declared_once(self):
        self.assertEqual(sorted([*MAY_NOT_OPEN, *MAY_OPEN_ONLY, *PORTAL_ONLY]), sorted(ROLES))
        registered = {model._meta.label for model in admin.site._registry}
        for role, labels in [*MAY_NOT_OPEN.items(), *MAY_OPEN_ONLY.items()]:
            self.assertLessEqual(labels, registered, role)

    def test_each_role_opens_exactly_its_changelists(self):
        for role in ROLES:
            self.login(role)
            for model in admin.site._registry:
                label = model._meta.label
                with self.subTest(role=role, model=label):
                    response = self.client.get(changelist(model))
                    if role in PORTAL_ONLY:
                        self.assertEqual(response.status_code, 302)
                        self.assertIn(reverse("admin:login"), response["Location"])
                    else:
                        self.assertEqual(response.status_code, 200 if may_open(role, label) else 403)

    def test_every_project_changelist_is_searchable(self):
        for model, model_admin in admin.site._registry.items():
            if model._meta.label not in PACKAGE_ADMIN:
                with self.subTest(model=model._meta.label):
                    self.assertTrue(model_admin.search_fields, "no search_fields")


class AdminHistoryTest(WorldTestCase):
    """The history page ("历史记录") of a row of every project model opens, whether the model keeps a
    simple-history table (the changes) or not (append-only rows: Django's log of admin actions)."""

    def test_history_of_one_row_of_every_model_opens(self):
        for model in admin.site._registry:
            label = model._meta.label
            if label in PACKAGE_ADMIN or label in ("mobilization.ApiToken", "mobilization.AuditArchive"):
                continue  # credentials and archive files: made by their services only, no API maker
            with self.subTest(model=label):
                row = make_row(model, self.world, self.world.a)
                row.refresh_from_db()  # as the page reads it (a quantity comes back a Decimal)
                # Office staff read every project model but the audit trail, which is the auditor's.
                role = "office" if may_open("office", label) else "auditor"
                self.login(role)
                response = self.client.get(change(row).replace("/change/", "/history/"))
                self.assertEqual(response.status_code, 200, response.content[:300])
                self.assertContains(response, str(row)[:20])

    def test_append_only_rows_have_no_past_version_page(self):
        from reporting.models import StatisticsSnapshot

        snapshot = make_row(StatisticsSnapshot, self.world, self.world.a)
        self.login("office")
        self.assertEqual(self.client.get(change(snapshot).replace("/change/", "/history/1/")).status_code, 404)


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

    def test_its_page_links_to_its_subject_and_keeps_the_system_key_to_itself(self):
        from mobilization.models import Notification
        from mobilization.services import notify

        notify(
            recipients=[self.world.users["office"]],
            key="military-request:1:stage:intake",
            kind="rectification_overdue",
            title="人防工程A未按期整改",
            url="/portal/inspections/",
        )
        note = Notification.objects.get(key="military-request:1:stage:intake")
        self.login("office")
        response = self.client.get(
            reverse("admin:mobilization_notification_change", args=[note.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        self.assertContains(response, '<a href="/portal/inspections/">打开页面</a>', html=True)
        self.assertNotContains(response, "military-request")
