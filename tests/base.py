"""Shared test bases.

`World` builds two places and one user per role. Side A is Zhangdian district of Zibo, where
every role's user works; side B is a district of another city, outside everyone's scope.

`APIScopeTestCase` gives an endpoint its list/detail/create/update/delete tests, the per-role
scoping matrix and the flat list query count, from a few declared attributes:

    class TeamAPITest(APIScopeTestCase):
        model = Team
        basename = "team"                       # the router's basename: api:team-list
        access = {"office": "write", "city_office": "write", "liaison": "read", "unit": "read"}
        update_payload = {"duty_phone": "0533-1234567"}

        def make(self, side):                   # an object in that side (A: in scope, B: out)
            return Team.objects.create(...)

        def create_payload(self, side):         # a valid POST body naming that side's objects
            return {...}

Roles (keys of `access`): city_office, office, unit, inspector, director, liaison, auditor,
sysadmin (system administrator), secadmin (security administrator).
Values: "write" (may create, change, delete in scope), "read", or absent (no access).
`everywhere` names the roles that read every row of a scoped model (the separated
administrators on what they keep, such as regions): their out-of-scope checks are skipped.
"""

import itertools
import pkgutil
from importlib import import_module
from types import SimpleNamespace
from urllib.parse import urlparse

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from rest_framework.test import APITestCase

from mobilization.choices import OfficeLevelChoices, RegionLevelChoices, RoleChoices, SectorChoices, UnitKindChoices
from mobilization.models import ContactPoint, MemberUnit, Office, Region, Workstation
from mobilization.services import user_assign_role
from mobilization.validators import credit_code_check_character, id_number_check_digit

__all__ = [
    "delivered_in_process",
    "MAY_NOT_OPEN",
    "MAY_OPEN_ONLY",
    "PACKAGE_ADMIN",
    "PORTAL_ONLY",
    "ROLES",
    "may_open",
    "APIScopeTestCase",
    "World",
    "make_credit_code",
    "make_id_number",
    "restore_migrated_rows",
    "TESTED_MODELS",
    "import_all_tests",
    "make_row",
]

ROLES = ("city_office", "office", "unit", "inspector", "director", "liaison", "auditor", "sysadmin", "secadmin")
# Each model with an API test, and the test class that declares how to make one of its rows.
TESTED_MODELS = {}
_counter = itertools.count(1)


# The admin pages of installed packages: accounts, tokens, schedules and login lockouts.
PACKAGE_ADMIN = {
    "auth.Group",
    "auth.User",
    "django_celery_beat.PeriodicTask",
    "django_celery_beat.ClockedSchedule",
    "django_celery_beat.CrontabSchedule",
    "django_celery_beat.SolarSchedule",
    "django_celery_beat.IntervalSchedule",
    "axes.AccessAttempt",
    "otp_totp.TOTPDevice",
}
# The accounts' and the audit trail's own rows: API tokens, archived audit files, the trail itself.
ACCOUNT_AND_AUDIT_ADMIN = {"mobilization.ApiToken", "mobilization.AuditArchive", "mobilization.AuditEvent"}
# The admin's per-role matrix. Per admin role, the changelists it may not open (403); it opens every other one.
MAY_NOT_OPEN = {
    "city_office": PACKAGE_ADMIN | ACCOUNT_AND_AUDIT_ADMIN,
    "office": PACKAGE_ADMIN | ACCOUNT_AND_AUDIT_ADMIN,
    "liaison": PACKAGE_ADMIN | ACCOUNT_AND_AUDIT_ADMIN,
}
# Per narrow role, the only changelists it opens (200); every other one is 403.
MAY_OPEN_ONLY = {
    "director": {
        "mobilization.Region",
        "mobilization.Workstation",
        "mobilization.ContactPoint",
        "mobilization.Notification",
        "teams.TeamCategory",
        "teams.TeamType",
        "inspections.Facility",
        "inspections.InspectionCycle",
        "inspections.InspectionReport",
        "inspections.InspectionMedia",
        "inspections.Rectification",
        "inspections.RectificationEvidence",
        "inspections.MaterialStock",
        "inspections.PotentialVerification",
        "inspections.VerificationLine",
    },
    # The auditor opens the accounts the trail names, and the archived trail.
    "auditor": {"mobilization.Notification", "mobilization.AuditEvent", "mobilization.AuditArchive", "auth.User"},
    # The separated administrators: reference data and schedules; accounts, roles and lockouts.
    "sysadmin": {
        "django_celery_beat.ClockedSchedule",
        "django_celery_beat.CrontabSchedule",
        "django_celery_beat.IntervalSchedule",
        "django_celery_beat.PeriodicTask",
        "django_celery_beat.SolarSchedule",
        "members.QualificationKind",
        "mobilization.Notification",
        "mobilization.Region",
        "teams.EquipmentItem",
        "teams.TeamCategory",
        "teams.TeamType",
        "teams.TypeEquipmentRequirement",
        "teams.TypeQualificationRequirement",
    },
    "secadmin": {
        "auth.Group",
        "auth.User",
        "axes.AccessAttempt",
        "mobilization.ApiToken",
        "otp_totp.TOTPDevice",
        "mobilization.Notification",
        "mobilization.Region",
        "mobilization.UserProfile",
    },
}
# Roles of the portal: the admin sends them to its login page, whatever the model.
PORTAL_ONLY = ("unit", "inspector")


def delivered_in_process():
    """Notification copies, text batches, roster import jobs and dashboard figure refreshes run in
    this process, as a worker would run them: all are queued with apply_async, and with a broker
    configured (CI) nothing here
    would consume them (or a real worker of another test would, against its own database). The
    services that run are the real ones."""
    from contextlib import ExitStack
    from unittest import mock

    from members.services import roster_import_run
    from mobilization.services import deliver_notifications, sms_send_batch
    from reporting.services import dashboard_figures_refresh

    stack = ExitStack()
    stack.enter_context(
        mock.patch(
            "members.tasks.roster_import_task.apply_async",
            side_effect=lambda args, **options: roster_import_run(job_id=args[0]),
        )
    )
    stack.enter_context(
        mock.patch(
            "mobilization.tasks.deliver_notifications_task.apply_async",
            side_effect=lambda args, **options: deliver_notifications(key=args[0]),
        )
    )
    stack.enter_context(
        mock.patch(
            "mobilization.tasks.sms_send_batch_task.apply_async",
            side_effect=lambda args, **options: sms_send_batch(batch=args[0]),
        )
    )
    stack.enter_context(
        mock.patch(
            "reporting.tasks.dashboard_figures_refresh_task.apply_async",
            side_effect=lambda args, **options: dashboard_figures_refresh(row_id=args[0]),
        )
    )
    return stack


def may_open(role, label):
    """Whether `role` opens the admin changelist of the model labelled `label`."""
    return label in MAY_OPEN_ONLY[role] if role in MAY_OPEN_ONLY else label not in MAY_NOT_OPEN[role]


def make_credit_code(n=None):
    """A valid Unified Social Credit Code, distinct for each n."""
    n = next(_counter) if n is None else n
    body = f"91370300{n:09d}"
    return body + credit_code_check_character(body)


def make_id_number(n=None, birth="19900101", region="370303"):
    """A valid resident ID number, distinct for each n (up to 999 per birth date)."""
    n = next(_counter) if n is None else n
    body = f"{region}{birth}{n % 1000:03d}"
    return body + id_number_check_digit(body)


def _region(code, name, level, parent=None):
    return Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent": parent})[0]


def _side(city_code, city_name, county_code, county_name, tag):
    province = _region("370000000000", "山东省", RegionLevelChoices.PROVINCE)
    city = _region(city_code, city_name, RegionLevelChoices.CITY, province)
    county = _region(county_code, county_name, RegionLevelChoices.COUNTY, city)
    township = _region(county_code[:6] + "001000", f"{county_name}一街道", RegionLevelChoices.TOWNSHIP, county)
    village = _region(county_code[:6] + "001001", f"{county_name}一社区", RegionLevelChoices.VILLAGE, township)
    unit = MemberUnit.objects.create(
        name=f"{county_name}卫生健康局",
        credit_code=make_credit_code(),
        kind=UnitKindChoices.GOVERNMENT,
        sector=SectorChoices.HEALTH,
        region=county,
    )
    child_unit = MemberUnit.objects.create(
        name=f"{county_name}人民医院",
        credit_code=make_credit_code(),
        kind=UnitKindChoices.INSTITUTION,
        sector=SectorChoices.HEALTH,
        region=county,
        managed_by=unit,
    )
    other_unit = MemberUnit.objects.create(
        name=f"{county_name}交通运输局",
        credit_code=make_credit_code(),
        kind=UnitKindChoices.GOVERNMENT,
        sector=SectorChoices.TRANSPORTATION,
        region=county,
    )
    city_office = Office.objects.get_or_create(
        region=city, defaults={"name": f"{city_name}国防动员办公室", "level": OfficeLevelChoices.CITY}
    )[0]
    office = Office.objects.create(name=f"{county_name}国防动员办公室", level=OfficeLevelChoices.COUNTY, region=county)
    workstation = Workstation.objects.create(name=f"{township.name}工作站", region=township, office=office)
    contact_point = ContactPoint.objects.create(name=f"{village.name}联络点", region=village, workstation=workstation)
    return SimpleNamespace(
        tag=tag,
        province=province,
        city=city,
        county=county,
        township=township,
        village=village,
        unit=unit,
        child_unit=child_unit,
        other_unit=other_unit,
        city_office=city_office,
        office=office,
        workstation=workstation,
        contact_point=contact_point,
    )


def restore_migrated_rows():
    """Put back the rows that data migrations load (the team taxonomy and qualification kinds).

    A TransactionTestCase (live server, real worker) ends with a flush that empties every table,
    so the next such test in the same process would find no team types. The migration only adds
    what is missing, so running it again is cheap and safe."""
    from django.apps import apps

    import_module("teams.migrations.0003_taxonomy_data").load(apps, None)


def import_all_tests():
    """Import every test module, so that TESTED_MODELS holds every declared API test."""
    import tests

    for info in pkgutil.walk_packages(tests.__path__, "tests."):
        if info.name.rsplit(".", 1)[-1].startswith("test_"):
            import_module(info.name)


def make_row(model, world, side):
    """One row of `model` on `side`, made as the model's API test makes its rows (one maker per model)."""
    import_all_tests()
    case = TESTED_MODELS[model]("test_anonymous_is_refused")
    case.world = world
    return case.make(side)


class World:
    """Two sides and one user of each role, all working on side A."""

    PASSWORD = "Test-pass-2026"

    def __init__(self):
        self.a = _side("370300000000", "淄博市", "370303000000", "张店区", "a")
        self.b = _side("370400000000", "枣庄市", "370402000000", "市中区", "b")
        a = self.a
        R = RoleChoices
        spec = {
            "city_office": (R.OFFICE_STAFF, a.city, None),
            "office": (R.OFFICE_STAFF, a.county, None),
            "unit": (R.UNIT_LIAISON, a.county, a.unit),
            "inspector": (R.INSPECTOR, a.township, None),
            "director": (R.STATION_DIRECTOR, a.township, None),
            "liaison": (R.MILITARY_LIAISON, a.county, None),
            "auditor": (R.AUDITOR, a.city, None),
            "sysadmin": (R.SYSTEM_ADMIN, a.city, None),
            "secadmin": (R.SECURITY_ADMIN, a.city, None),
        }
        self.users = {
            name: user_assign_role(
                username=f"t_{name}",
                role=role,
                region=region,
                member_unit=unit,
                password=self.PASSWORD,
                email=f"{name}@example.org",
                phone="13800000000",
            )
            for name, (role, region, unit) in spec.items()
        }
        self.superuser = get_user_model().objects.create_superuser("t_root", "root@example.org", self.PASSWORD)


class WorldTestCase(APITestCase):
    """A TestCase with the world built once per class."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World()

    def as_role(self, role):
        user = self.world.users[role] if role != "root" else self.world.superuser
        self.client.force_authenticate(user)
        return user

    def ids_in(self, response):
        """The ids (or region codes) of a list response's rows."""
        return {str(row.get("id", row.get("code"))) for row in response.json()["results"]}

    def login(self, role):
        """A session login, for the admin and portal pages."""
        user = self.world.users[role] if role != "root" else self.world.superuser
        self.client.force_login(user)
        return user


class APIScopeTestCase(WorldTestCase):
    model = None
    basename = None
    access: dict = {}
    update_payload: dict = {}
    writable = True  # False for read-only endpoints: writes answer 403 or 405
    deletable = True  # False where the API refuses deletion (protected records)
    # False for reference data (Scope(reference=True)): every reader sees side B's rows too, so
    # only the permission matrix is tested, not the out-of-scope 404s.
    scoped = True
    everywhere: tuple = ()  # roles that read every row although the model is scoped
    list_query_budget = 12  # queries for one list page, whatever its size

    __test__ = False  # the base itself is not collected; each declared endpoint is

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            cls.__test__ = True
            TESTED_MODELS[cls.model] = cls

    # --- declared by subclasses -------------------------------------------------------------
    def make(self, side):
        raise NotImplementedError

    def create_payload(self, side):
        raise NotImplementedError

    def make_for_write(self, side, role):
        """The object `role` tries to change and delete in the write tests: by default `make(side)`.
        Override where what a role may change is not what it reads (an inspector's draft, which
        no one else sees, against the filed reports the others read)."""
        return self.make(side)

    # --- helpers -----------------------------------------------------------------------------
    def list_url(self, **params):
        url = reverse(f"api:{self.basename}-list")
        if params:
            url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
        return url

    def detail_url(self, obj):
        return reverse(f"api:{self.basename}-detail", args=[obj.pk])

    def scoped_for(self, role):
        return self.scoped and role not in self.everywhere

    def can(self, role, what):
        granted = self.access.get(role)
        return granted == "write" if what == "write" else granted in ("read", "write")

    def refusal(self, role, method, obj=None):
        """The exact status `role` hears when `method` is not its to do (on `obj`, for a detail):
        405 where the endpoint offers no such method and the role holds the model permission (the
        answer does not depend on the object, so it tells nothing); else 404 for an object beyond
        the role's scope (nobody learns what exists there); else 403."""
        user = self.world.users[role]
        action = {"GET": "view", "POST": "add", "PATCH": "change", "DELETE": "delete"}[method]
        offered = {"GET": True, "POST": self.writable, "PATCH": self.writable}.get(
            method, self.writable and self.deletable
        )
        if not offered and user.has_perm(f"{self.model._meta.app_label}.{action}_{self.model._meta.model_name}"):
            return 405
        if obj is not None and not self.model.objects.visible_to(user).filter(pk=obj.pk).exists():
            return 404
        return 403

    # --- the generic tests ---------------------------------------------------------------------
    def test_anonymous_is_refused(self):
        self.client.logout()
        self.client.force_authenticate(None)
        # Token authentication comes first and asks for credentials.
        self.assertEqual(self.client.get(self.list_url()).status_code, 401)

    def test_list_is_scoped_per_role(self):
        inside, outside = self.make(self.world.a), self.make(self.world.b)
        for role in ROLES:
            with self.subTest(role=role):
                self.as_role(role)
                response = self.client.get(self.list_url(page_size=500))
                if not self.can(role, "read"):
                    self.assertEqual(response.status_code, 403, response.content)
                    continue
                self.assertEqual(response.status_code, 200, response.content)
                ids = self.ids_in(response)
                self.assertIn(str(inside.pk), ids)
                if self.scoped_for(role):
                    self.assertNotIn(str(outside.pk), ids)

    def test_detail_is_scoped_per_role(self):
        inside, outside = self.make(self.world.a), self.make(self.world.b)
        for role in ROLES:
            with self.subTest(role=role):
                self.as_role(role)
                if self.scoped_for(role):
                    self.assertEqual(self.client.get(self.detail_url(outside)).status_code, 404)
                status = self.client.get(self.detail_url(inside)).status_code
                self.assertEqual(status, 200 if self.can(role, "read") else self.refusal(role, "GET", inside))

    def test_create_per_role(self):
        for role in ROLES:
            with self.subTest(role=role):
                self.as_role(role)
                before = self.model.objects.count()
                response = self.client.post(self.list_url(), self.create_payload(self.world.a), format="json")
                if self.writable and self.can(role, "write"):
                    self.assertEqual(response.status_code, 201, response.content)
                    self.assertEqual(self.model.objects.count(), before + 1)
                else:
                    expected = 403 if self.writable else self.refusal(role, "POST")
                    self.assertEqual(response.status_code, expected, response.content)
                    self.assertEqual(self.model.objects.count(), before)

    def test_create_naming_objects_out_of_scope_is_refused(self):
        if not self.writable:
            self.skipTest("read-only endpoint: nothing is created through it")
        if not self.scoped:
            self.skipTest("reference data: side B's rows are everyone's to name")
        writers = [role for role in ROLES if self.can(role, "write") and self.scoped_for(role)]
        if not writers:
            self.skipTest("no role creates through this endpoint")
        for role in writers:
            with self.subTest(role=role):
                self.as_role(role)
                before = self.model.objects.count()
                response = self.client.post(self.list_url(), self.create_payload(self.world.b), format="json")
                self.assertEqual(response.status_code, 400, response.content)
                self.assertEqual(self.model.objects.count(), before)

    def test_update_per_role(self):
        outside = self.make(self.world.b)
        for role in ROLES:
            with self.subTest(role=role):
                inside = self.make_for_write(self.world.a, role)
                self.as_role(role)
                if self.scoped_for(role):
                    out = self.client.patch(self.detail_url(outside), self.update_payload, format="json")
                    self.assertEqual(out.status_code, self.refusal(role, "PATCH", outside))
                response = self.client.patch(self.detail_url(inside), self.update_payload, format="json")
                if self.writable and self.can(role, "write"):
                    self.assertEqual(response.status_code, 200, response.content)
                    body = response.json()
                    for key, value in self.update_payload.items():
                        got = body[key]["id"] if isinstance(body[key], dict) and "id" in body[key] else body[key]
                        self.assertEqual(str(got), str(value), key)
                else:
                    self.assertEqual(response.status_code, self.refusal(role, "PATCH", inside), response.content)

    def test_delete_per_role(self):
        for role in ROLES:
            with self.subTest(role=role):
                inside, outside = self.make_for_write(self.world.a, role), self.make(self.world.b)
                self.as_role(role)
                if self.scoped_for(role):
                    status = self.client.delete(self.detail_url(outside)).status_code
                    self.assertEqual(status, self.refusal(role, "DELETE", outside))
                status = self.client.delete(self.detail_url(inside)).status_code
                if self.writable and self.deletable and self.can(role, "write"):
                    self.assertEqual(status, 204)
                    self.assertFalse(self.model.objects.filter(pk=inside.pk).exists())
                else:
                    self.assertEqual(status, self.refusal(role, "DELETE", inside))
                    self.assertTrue(self.model.objects.filter(pk=inside.pk).exists())

    def test_list_query_count_is_flat(self):
        """A page of 3 and a page of 12 cost the same number of queries: no query per row."""
        role = next((r for r in ("city_office", "office", "unit", "auditor", "inspector") if self.can(r, "read")), None)
        self.as_role(role) if role else self.as_role("root")
        for _ in range(12):
            self.make(self.world.a)
        self.client.get(self.list_url(page_size=1))  # warm the per-user caches (profile, permissions)
        counts = []
        for size in (3, 12):
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(self.list_url(page_size=size))
            self.assertEqual(response.status_code, 200)
            self.assertGreaterEqual(len(response.json()["results"]), min(size, 3))
            counts.append(len(ctx.captured_queries))
        self.assertEqual(counts[0], counts[1], f"queries grow with page size: {counts}")
        self.assertLessEqual(counts[1], self.list_query_budget, f"{counts[1]} queries for one page")

    def test_nothing_of_the_other_side_appears_anywhere(self):
        """Nested lists are scoped too (NetBox's restricted prefetch): no object of side B appears
        anywhere in a list or detail response, however deep, by its id or its display."""
        if not self.scoped:
            self.skipTest("reference data: every reader sees both sides")
        inside, _outside = self.make(self.world.a), self.make(self.world.b)
        other = OtherSide(self.world)
        readers = [role for role in ROLES if self.can(role, "read") and self.scoped_for(role)]
        if not readers:
            self.skipTest("no role reads this endpoint")
        for role in readers:
            self.as_role(role)
            for url in (self.list_url(page_size=500), self.detail_url(inside)):
                with self.subTest(role=role, url=url):
                    response = self.client.get(url)
                    if url != self.list_url(page_size=500) and response.status_code == 404:
                        continue  # a row only its owner reads (a notification): the per-role test says so
                    self.assertEqual(response.status_code, 200, response.content)
                    self.assertEqual(other.shown_in(response.json()), [])


class OtherSide:
    """Objects of side B, as a response names them: brief {id, display, url} objects anywhere."""

    def __init__(self, world):
        from mobilization.choices import RoleChoices as R

        self.a_reader = world.users["city_office"]
        self.b_reader = user_assign_role(
            username="t_b_city_office", role=R.OFFICE_STAFF, region=world.b.city, password=World.PASSWORD
        )

    def _model(self, url):
        try:
            view = resolve(urlparse(url).path).func
        except Resolver404:
            return None
        queryset = getattr(getattr(view, "cls", None), "queryset", None)
        return None if queryset is None else queryset.model

    def _is_b(self, model, pk):
        objects = model.objects.all()
        if not hasattr(objects, "visible_to"):
            return False
        return objects.visible_to(self.b_reader).filter(pk=pk).exists() and not (
            objects.visible_to(self.a_reader).filter(pk=pk).exists()
        )

    def shown_in(self, body, found=None):
        """[(model label, id, display)] of side B's objects named anywhere in `body`."""
        found = [] if found is None else found
        if isinstance(body, dict):
            if isinstance(body.get("url"), str) and "id" in body:
                model = self._model(body["url"])
                if model is not None and self._is_b(model, body["id"]):
                    found.append((model._meta.label, body["id"], body.get("display")))
            for value in body.values():
                self.shown_in(value, found)
        elif isinstance(body, list):
            for value in body:
                self.shown_in(value, found)
        return found
