"""The three separated administrators (三员分立, MLPS level 3): the system administrator keeps
reference data and schedules and sees no personal data; the security administrator keeps
accounts and lockouts and sees no business records; creating a superuser and every superuser
login are audited events."""

import io

from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from members.models import Membership, Person, Qualification, QualificationKind
from mobilization.choices import AuditActionChoices, RoleChoices
from mobilization.models import AuditEvent, MemberUnit, Region, UserProfile
from mobilization.roles import role_permissions
from teams.models import Team, TeamCategory, TeamType
from tests.base import World, WorldTestCase
from tests.members.factories import make_member, make_team
from training.models import Exercise

PERSON_NAME = "甄士隐"
PERSON_PHONE = "13912345678"
BUSINESS_APPS = {"mobilization", "teams", "members", "training", "inspections"}


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def registered(app_label):
    return {(app_label, m._meta.model_name) for m in admin.site._registry if m._meta.app_label == app_label}


# What each role's admin index lists: exactly its own sections.
SYSADMIN_PAGES = {
    ("mobilization", "region"),
    ("mobilization", "notification"),
    ("teams", "teamcategory"),
    ("teams", "teamtype"),
    ("teams", "equipmentitem"),
    ("teams", "typequalificationrequirement"),
    ("teams", "typeequipmentrequirement"),
    ("members", "qualificationkind"),
}
SECADMIN_PAGES = {
    ("auth", "user"),
    ("auth", "group"),
    ("mobilization", "region"),
    ("mobilization", "userprofile"),
    ("mobilization", "notification"),
    ("axes", "accessattempt"),
    ("axes", "accesslog"),
    ("axes", "accessfailurelog"),
    ("authtoken", "tokenproxy"),
}


def api_paths_without_arguments():
    """Every API path that takes no argument (lists, exports, templates, the change feed)."""

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and not p.pattern.regex.groupindex:
                yield "/" + prefix + str(p.pattern).lstrip("^").rstrip("$")

    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    return sorted({path.replace("\\.(?P<format>[a-z0-9]+)/?", "") for path in walk(api.url_patterns, "api/v1/")})


class SeparatedAdminsTestCase(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.team = make_team(cls.world.a)
        cls.person = make_member(cls.team, name=PERSON_NAME, phone=PERSON_PHONE)


class PermissionMapTest(SeparatedAdminsTestCase):
    """The groups hold what roles.role_permissions() assembles, and nothing personal."""

    def models_of(self, role):
        return {(label, codename.split("_", 1)[1]) for label, codename in role_permissions()[role]}

    def test_system_admin_keeps_reference_data_and_schedules_only(self):
        reached = self.models_of(RoleChoices.SYSTEM_ADMIN)
        self.assertEqual({m for m in reached if m[0] in BUSINESS_APPS}, SYSADMIN_PAGES)
        beat = {(label, model) for label, model in reached if label == "django_celery_beat"}
        self.assertIn(("django_celery_beat", "periodictask"), beat)
        self.assertIn(("django_celery_beat", "crontabschedule"), beat)
        self.assertEqual(
            {label for label, _model in reached}, BUSINESS_APPS - {"training", "inspections"} | {"django_celery_beat"}
        )

    def test_security_admin_keeps_accounts_only(self):
        reached = self.models_of(RoleChoices.SECURITY_ADMIN)
        self.assertEqual(
            {m for m in reached if m[0] in BUSINESS_APPS}, {m for m in SECADMIN_PAGES if m[0] in BUSINESS_APPS}
        )
        self.assertIn(("axes", "accessattempt"), reached)
        self.assertIn(("auth", "user"), reached)
        self.assertIn("delete_accessattempt", {c for _label, c in role_permissions()[RoleChoices.SECURITY_ADMIN]})

    def test_groups_hold_the_assembled_permissions(self):
        for role in (RoleChoices.SYSTEM_ADMIN, RoleChoices.SECURITY_ADMIN, RoleChoices.OFFICE_STAFF):
            with self.subTest(role=role):
                held = set(Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename"))
                self.assertEqual(held, role_permissions()[role])

    def test_office_staff_assign_no_roles(self):
        codenames = {c for label, c in role_permissions()[RoleChoices.OFFICE_STAFF] if label == "mobilization"}
        self.assertIn("view_userprofile", codenames)
        self.assertFalse({"add_userprofile", "change_userprofile", "delete_userprofile"} & codenames)


class ScopeTest(SeparatedAdminsTestCase):
    def test_neither_reaches_a_person_through_any_relation(self):
        for role in ("sysadmin", "secadmin"):
            user = self.world.users[role]
            for model in (Person, Membership, Qualification, Team, MemberUnit, Exercise, AuditEvent):
                with self.subTest(role=role, model=model.__name__):
                    self.assertFalse(model.objects.visible_to(user).exists())

    def test_system_admin_reads_every_region_and_the_taxonomy(self):
        user = self.world.users["sysadmin"]
        self.assertEqual(Region.objects.visible_to(user).count(), Region.objects.count())
        self.assertEqual(TeamType.objects.visible_to(user).count(), TeamType.objects.count())
        self.assertEqual(UserProfile.objects.visible_to(user).get(), user.profile)  # their own only

    def test_security_admin_reads_every_account(self):
        user = self.world.users["secadmin"]
        self.assertEqual(UserProfile.objects.visible_to(user).count(), UserProfile.objects.count())
        self.assertGreater(UserProfile.objects.count(), 2)


class SystemAdminAdminTest(SeparatedAdminsTestCase):
    def setUp(self):
        self.login("sysadmin")

    def test_index_shows_only_their_sections(self):
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 200)
        listed = {
            (app["app_label"], m["object_name"].lower()) for app in response.context["app_list"] for m in app["models"]
        }
        self.assertEqual(listed, SYSADMIN_PAGES | registered("django_celery_beat"))

    def test_opens_reference_data_and_periodic_tasks(self):
        task = PeriodicTask.objects.create(
            name="t", task="x", crontab=CrontabSchedule.objects.create(minute="0", hour="1")
        )
        for url in (
            changelist(Region),
            change(self.world.a.county),
            changelist(TeamCategory),
            change(TeamType.objects.first()),
            changelist(QualificationKind),
            changelist(PeriodicTask),
            change(task),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_changes_a_schedule(self):
        task = PeriodicTask.objects.create(
            name="t", task="x", crontab=CrontabSchedule.objects.create(minute="0", hour="1")
        )
        response = self.client.post(
            change(task),
            {"name": "t", "regtask": "", "task": "x", "crontab": task.crontab_id, "enabled": "", "args": "[]",
             "kwargs": "{}", "priority": "", "queue": "", "exchange": "", "routing_key": "", "headers": "{}",
             "expires_": "", "start_time_0": "", "start_time_1": "", "description": "", "one_off": ""},
            format="multipart",
        )  # fmt: skip
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("errors")
        )
        task.refresh_from_db()
        self.assertFalse(task.enabled)

    def test_cannot_open_persons_teams_accounts_or_the_audit_trail(self):
        for url in (
            changelist(Person),
            change(self.person),
            changelist(Membership),
            changelist(Qualification),
            changelist(Team),
            changelist(MemberUnit),
            changelist(AuditEvent),
            changelist(UserProfile),
            changelist(get_user_model()),
            changelist(AccessAttempt),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_autocomplete_reaches_no_person(self):
        url = reverse("admin:autocomplete")
        for params in (
            "app_label=members&model_name=membership&field_name=person",
            "app_label=members&model_name=qualification&field_name=person",
            "app_label=teams&model_name=typequalificationrequirement&field_name=kind",
        ):
            with self.subTest(params=params):
                response = self.client.get(f"{url}?{params}&term=")
                self.assertNotContains(response, PERSON_NAME, status_code=response.status_code)
        self.assertEqual(
            self.client.get(f"{url}?app_label=members&model_name=membership&field_name=person&term=").status_code, 403
        )


class SecurityAdminAdminTest(SeparatedAdminsTestCase):
    def setUp(self):
        self.login("secadmin")

    def test_index_shows_only_their_sections(self):
        response = self.client.get(reverse("admin:index"))
        listed = {
            (app["app_label"], m["object_name"].lower()) for app in response.context["app_list"] for m in app["models"]
        }
        self.assertEqual(listed, SECADMIN_PAGES)

    def test_opens_users_profiles_and_lockouts(self):
        for url in (
            changelist(get_user_model()),
            change(self.world.users["office"]),
            changelist(UserProfile),
            change(self.world.users["unit"].profile),
            changelist(AccessAttempt),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_cannot_open_persons_teams_units_or_the_audit_trail(self):
        for url in (
            changelist(Person),
            change(self.person),
            changelist(Team),
            change(self.team),
            changelist(MemberUnit),
            changelist(AuditEvent),
            changelist(PeriodicTask),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_unlocks_an_account(self):
        login = reverse("portal:login")
        self.client.logout()
        for _ in range(5):
            self.client.post(
                login, {"username": "t_office", "password": "wrong"}, REMOTE_ADDR="10.1.2.3", format="multipart"
            )
        locked = self.client.post(
            login, {"username": "t_office", "password": World.PASSWORD}, REMOTE_ADDR="10.1.2.3", format="multipart"
        )
        self.assertEqual(locked.status_code, 429)
        attempt = AccessAttempt.objects.get(username="t_office")

        self.login("secadmin")
        response = self.client.post(change(attempt).replace("change", "delete"), {"post": "yes"}, format="multipart")
        self.assertEqual(response.status_code, 302)
        self.assertFalse(AccessAttempt.objects.filter(username="t_office").exists())
        self.client.logout()
        again = self.client.post(
            login, {"username": "t_office", "password": World.PASSWORD}, REMOTE_ADDR="10.1.2.3", format="multipart"
        )
        self.assertEqual(again.status_code, 302)

    def test_assigns_a_role_and_its_group_and_admin_access_follow(self):
        profile = self.world.users["unit"].profile
        response = self.client.post(
            change(profile),
            {"user": profile.user_id, "role": RoleChoices.MILITARY_LIAISON, "region": self.world.a.county.code,
             "member_unit": "", "phone": ""},
            format="multipart",
        )  # fmt: skip
        self.assertEqual(response.status_code, 302)
        user = get_user_model().objects.get(pk=profile.user_id)
        self.assertEqual(user.profile.role, RoleChoices.MILITARY_LIAISON)
        self.assertEqual(list(user.groups.values_list("name", flat=True)), [RoleChoices.MILITARY_LIAISON])
        self.assertTrue(user.is_staff)

    def test_a_liaisons_unit_is_chosen_from_a_list_not_read_as_a_record(self):
        response = self.client.get(reverse("admin:mobilization_userprofile_add"))
        field = response.context["adminform"].form.fields["member_unit"]
        self.assertEqual(set(field.queryset), set(MemberUnit.objects.all()))
        url = reverse("admin:autocomplete") + "?app_label=mobilization&model_name=userprofile&field_name=member_unit"
        self.assertEqual(self.client.get(url + "&term=").status_code, 403)

    def test_makes_no_superuser_and_changes_no_superuser(self):
        me, root = self.world.users["secadmin"], self.world.superuser
        # A superuser's account is shown read-only: no change, no new password.
        refused = self.client.post(
            change(root), {"username": root.username, "email": "x@example.org"}, format="multipart"
        )
        self.assertEqual(refused.status_code, 403)
        password_url = reverse("admin:auth_user_password_change", args=[root.pk])
        self.assertEqual(self.client.get(password_url).status_code, 403)
        root.refresh_from_db()
        self.assertEqual(root.email, "root@example.org")
        response = self.client.post(
            change(me),
            {"username": me.username, "is_active": "on", "is_superuser": "on", "is_staff": "on",
             "last_name": "", "first_name": "", "email": "sec@example.org"},
            format="multipart",
        )  # fmt: skip
        self.assertEqual(response.status_code, 302)  # saved: the flag was not in the form at all
        me.refresh_from_db()
        self.assertEqual(me.email, "sec@example.org")
        self.assertFalse(me.is_superuser)

    def test_office_staff_assign_no_roles(self):
        self.login("city_office")
        profile = self.world.users["unit"].profile
        self.assertEqual(self.client.get(change(profile)).status_code, 200)  # read-only view
        response = self.client.post(
            change(profile),
            {"user": profile.user_id, "role": RoleChoices.OFFICE_STAFF, "region": self.world.a.county.code},
            format="multipart",
        )
        self.assertEqual(response.status_code, 403)
        profile.refresh_from_db()
        self.assertEqual(profile.role, RoleChoices.UNIT_LIAISON)


class NoPersonThroughTheAPITest(SeparatedAdminsTestCase):
    def test_no_endpoint_shows_a_person(self):
        paths = api_paths_without_arguments()
        self.assertIn("/api/v1/persons/", paths)
        self.assertIn("/api/v1/changes/", paths)
        for role in ("sysadmin", "secadmin"):
            self.as_role(role)
            for path in paths:
                with self.subTest(role=role, path=path):
                    response = self.client.get(path)
                    self.assertIn(response.status_code, (200, 403, 405), response.content[:200])
                    body = response.content.decode()
                    self.assertNotIn(PERSON_NAME, body)
                    self.assertNotIn(PERSON_PHONE, body)
                    self.assertNotIn(PERSON_PHONE[:3] + "****" + PERSON_PHONE[7:], body)

    def test_a_persons_own_addresses_answer_404(self):
        for role in ("sysadmin", "secadmin"):
            self.as_role(role)
            with self.subTest(role=role):
                self.assertEqual(self.client.get(reverse("api:person-detail", args=[self.person.pk])).status_code, 404)
                reveal = self.client.post(reverse("api:person-reveal", args=[self.person.pk]))
                self.assertEqual(reveal.status_code, 404)
                self.assertFalse(AuditEvent.objects.filter(action=AuditActionChoices.REVEAL).exists())

    def test_business_lists_are_refused(self):
        for role in ("sysadmin", "secadmin"):
            self.as_role(role)
            for name in ("person", "membership", "team", "memberunit", "auditevent", "exercise", "facility"):
                with self.subTest(role=role, name=name):
                    self.assertEqual(self.client.get(reverse(f"api:{name}-list")).status_code, 403)


class SuperuserAuditTest(WorldTestCase):
    def setUp(self):
        AuditEvent.objects.all().delete()  # the world's own superuser was made (and audited) already

    def events(self, action):
        return AuditEvent.objects.filter(action=action)

    def test_creating_a_superuser_is_an_event(self):
        root = get_user_model().objects.create_superuser("root2", "r@example.org", World.PASSWORD)
        event = self.events(AuditActionChoices.SUPERUSER_CREATED).get()
        self.assertEqual((event.object_type, event.object_id, event.object_repr), ("auth.User", str(root.pk), "root2"))
        self.assertEqual(event.detail, {"username": "root2", "new_account": True})
        root.save()  # saving a superuser again makes no new one
        self.assertEqual(self.events(AuditActionChoices.SUPERUSER_CREATED).count(), 1)

    def test_promoting_an_account_is_an_event(self):
        user = self.world.users["office"]
        user.save()
        self.assertFalse(self.events(AuditActionChoices.SUPERUSER_CREATED).exists())
        user.is_superuser = True
        user.save()
        event = self.events(AuditActionChoices.SUPERUSER_CREATED).get()
        self.assertEqual(event.detail, {"username": "t_office", "new_account": False})

    def test_the_createsuperuser_command_is_audited(self):
        call_command(
            "createsuperuser", username="root3", email="r3@example.org", interactive=False, stdout=io.StringIO()
        )
        self.assertEqual(self.events(AuditActionChoices.SUPERUSER_CREATED).get().object_repr, "root3")

    def test_every_superuser_login_is_an_event_of_its_own(self):
        login = reverse("portal:login")
        self.client.post(
            login, {"username": "t_root", "password": World.PASSWORD}, REMOTE_ADDR="10.1.2.3", format="multipart"
        )
        self.client.logout()
        self.client.post(reverse("api:auth-token"), {"username": "t_root", "password": World.PASSWORD})
        events = self.events(AuditActionChoices.SUPERUSER_LOGIN)
        self.assertEqual(events.count(), 2)
        self.assertEqual(set(events.values_list("username", flat=True)), {"t_root"})
        self.assertFalse(self.events(AuditActionChoices.LOGIN).filter(username="t_root").exists())
        self.client.post(
            login, {"username": "t_office", "password": World.PASSWORD}, REMOTE_ADDR="10.1.2.3", format="multipart"
        )
        self.assertEqual(self.events(AuditActionChoices.LOGIN).get().username, "t_office")


class NoPersonThroughThePortalTest(SeparatedAdminsTestCase):
    """The portal's pages of people (rosters, readiness, exercises) show them no one either."""

    PAGES = [
        "portal:home",
        "portal:members-roster",
        "portal:members-export",
        "portal:members-changes",
        "portal:teams-readiness",
        "portal:training-exercises",
        "portal:inspections-home",
    ]

    def test_no_portal_page_shows_a_person(self):
        for role in ("sysadmin", "secadmin"):
            self.login(role)
            for name in self.PAGES:
                with self.subTest(role=role, page=name):
                    response = self.client.get(reverse(name))
                    self.assertIn(response.status_code, (200, 302, 403), response.status_code)
                    if name == "portal:members-export":
                        self.assertEqual(response.status_code, 403)
                    self.assertNotIn(PERSON_NAME, response.content.decode(errors="replace"))
