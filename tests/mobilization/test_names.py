"""People are named as people write them: 王芳, family name first, wherever a username showed."""

from django.contrib.auth import get_user_model
from django.test import SimpleTestCase
from django.urls import reverse

from mobilization.presentation import full_name, user_display
from tests.base import WorldTestCase
from tests.factories import make_change

User = get_user_model()


class FullNameTest(SimpleTestCase):
    CASES = [
        # (last name, first name, username, shown)
        ("王", "芳", "wf", "王芳"),
        ("欧阳", "修", "oy", "欧阳修"),
        (" 王 ", " 芳 ", "wf", "王芳"),
        ("Li", "Anna", "anna", "Anna Li"),
        ("", "", "office", "office"),
        ("", "芳", "fang", "芳"),
    ]

    def test_table(self):
        for last, first, username, shown in self.CASES:
            with self.subTest(last=last, first=first):
                user = User(username=username, last_name=last, first_name=first)
                self.assertEqual(user_display(user), shown)
                self.assertEqual(str(user), shown)
                self.assertEqual(user.get_full_name(), shown)
                self.assertEqual(user.get_short_name(), shown)

    def test_full_name_is_empty_without_a_name(self):
        self.assertEqual(full_name(User(username="office")), "")


class NamesOnPagesTest(WorldTestCase):
    def setUp(self):
        for role in ("unit", "office"):
            user = self.world.users[role]
            user.last_name, user.first_name = ("王", "芳") if role == "unit" else ("李", "建国")
            user.save(update_fields=["last_name", "first_name"])

    def test_portal_greeting(self):
        self.login("unit")
        html = self.client.get(reverse("portal:home")).content.decode()
        self.assertIn("欢迎，王芳", html)
        self.assertNotIn("芳 王", html)

    def test_admin_greeting(self):
        self.login("office")
        html = self.client.get(reverse("admin:index")).content.decode()
        self.assertIn("<strong>李建国</strong>", html)

    def test_submitter_in_the_change_list_and_api(self):
        change = make_change(self.world.users["unit"], self.world.a)
        self.login("office")
        html = self.client.get(reverse("admin:members_rosterchange_changelist")).content.decode()
        self.assertIn("王芳", html)
        self.assertNotIn(">t_unit<", html)
        self.as_role("office")
        body = self.client.get(reverse("api:rosterchange-detail", args=[change.pk])).json()
        self.assertEqual(body["submitted_by"], "王芳")

    def test_django_history_names_the_user(self):
        from django.contrib.admin.models import ADDITION, LogEntry
        from django.contrib.contenttypes.models import ContentType

        from reporting.models import StatisticsSnapshot
        from tests.base import make_row

        snapshot = make_row(StatisticsSnapshot, self.world, self.world.a)
        LogEntry.objects.create(
            user=self.world.users["office"],
            content_type=ContentType.objects.get_for_model(StatisticsSnapshot),
            object_id=str(snapshot.pk),
            object_repr=str(snapshot),
            action_flag=ADDITION,
        )
        self.login("office")
        url = reverse("admin:reporting_statisticssnapshot_history", args=[snapshot.pk])
        html = self.client.get(url).content.decode()
        self.assertIn("<td>李建国</td>", html)
        self.assertNotIn("t_office", html)


class RoleGroupsInWordsTest(WorldTestCase):
    def test_the_security_administrator_reads_a_role_group_and_its_permissions_in_words(self):
        from django.contrib.auth.models import Group

        group = Group.objects.get(name="office_staff")
        self.login("secadmin")
        page = self.client.get(reverse("admin:auth_group_change", args=[group.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(page, "动员办公室工作人员")  # the role, not its code
        self.assertContains(page, "可查看")  # a default permission, in words
        self.assertNotContains(page, "office_staff")
        self.assertNotContains(page, "Can view")
        users = self.client.get(reverse("admin:auth_user_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(users, "动员办公室工作人员")  # the groups filter
