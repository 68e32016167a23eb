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
from importlib import import_module
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APITestCase

from mobilization.choices import OfficeLevelChoices, RegionLevelChoices, RoleChoices, SectorChoices, UnitKindChoices
from mobilization.models import ContactPoint, MemberUnit, Office, Region, Workstation
from mobilization.services import user_assign_role
from mobilization.validators import credit_code_check_character, id_number_check_digit

__all__ = [
    "ROLES",
    "APIScopeTestCase",
    "World",
    "make_credit_code",
    "make_id_number",
    "restore_migrated_rows",
    "TESTED_MODELS",
]

ROLES = ("city_office", "office", "unit", "inspector", "director", "liaison", "auditor", "sysadmin", "secadmin")
TESTED_MODELS = set()
_counter = itertools.count(1)


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
            TESTED_MODELS.add(cls.model)

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

    # --- the generic tests ---------------------------------------------------------------------
    def test_anonymous_is_refused(self):
        self.client.logout()
        self.client.force_authenticate(None)
        self.assertIn(self.client.get(self.list_url()).status_code, (401, 403))

    def test_list_is_scoped_per_role(self):
        inside, outside = self.make(self.world.a), self.make(self.world.b)
        for role in ROLES:
            with self.subTest(role=role):
                self.as_role(role)
                response = self.client.get(self.list_url(page_size=500))
                if not self.can(role, "read"):
                    if response.status_code == 200:
                        self.assertNotIn(str(inside.pk), self.ids_in(response))
                    else:
                        self.assertEqual(response.status_code, 403)
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
                if self.can(role, "read"):
                    self.assertEqual(status, 200)
                else:
                    self.assertIn(status, (403, 404))

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
                    self.assertIn(response.status_code, (403, 405), response.content)
                    self.assertEqual(self.model.objects.count(), before)

    def test_create_naming_objects_out_of_scope_is_refused(self):
        if not self.writable or not self.scoped:
            return
        for role in ROLES:
            if not self.can(role, "write") or not self.scoped_for(role):
                continue
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
                    self.assertIn(out.status_code, (404,) if self.writable else (404, 405))
                response = self.client.patch(self.detail_url(inside), self.update_payload, format="json")
                if self.writable and self.can(role, "write"):
                    self.assertEqual(response.status_code, 200, response.content)
                    body = response.json()
                    for key, value in self.update_payload.items():
                        got = body[key]["id"] if isinstance(body[key], dict) and "id" in body[key] else body[key]
                        self.assertEqual(str(got), str(value), key)
                elif self.can(role, "read"):
                    self.assertIn(response.status_code, (403, 405))
                else:
                    self.assertIn(response.status_code, (403, 404, 405))

    def test_delete_per_role(self):
        for role in ROLES:
            with self.subTest(role=role):
                inside, outside = self.make_for_write(self.world.a, role), self.make(self.world.b)
                self.as_role(role)
                if self.scoped_for(role):
                    status = self.client.delete(self.detail_url(outside)).status_code
                    self.assertIn(status, (404,) if self.writable and self.deletable else (404, 405))
                status = self.client.delete(self.detail_url(inside)).status_code
                if self.writable and self.deletable and self.can(role, "write"):
                    self.assertEqual(status, 204)
                    self.assertFalse(self.model.objects.filter(pk=inside.pk).exists())
                else:
                    self.assertIn(status, (403, 404, 405))
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
