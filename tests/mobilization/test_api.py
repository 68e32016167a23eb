"""The core resources through the shared bases: per-role scoping, CRUD and flat list queries."""

import itertools

from django.urls import reverse

from mobilization.choices import OfficeLevelChoices, RegionLevelChoices, RoleChoices, SectorChoices, UnitKindChoices
from mobilization.models import (
    AuditEvent,
    ContactPoint,
    MemberUnit,
    MemberUnitContact,
    Notification,
    Office,
    Region,
    UserProfile,
    Workstation,
)
from mobilization.services import audit_record, notify
from tests.base import ROLES, APIScopeTestCase, WorldTestCase, make_credit_code

_n = itertools.count(100)


class RegionAPITest(APIScopeTestCase):
    model = Region
    basename = "region"
    access = {
        "city_office": "write",
        "office": "write",
        "liaison": "read",
        "inspector": "read",
        "director": "read",
        "sysadmin": "write",  # regions are reference data
        "secadmin": "read",  # to bind an account to its region
    }
    everywhere = ("sysadmin", "secadmin")
    update_payload = {"name": "新名字"}

    def make(self, side):
        n = next(_n)
        return Region.objects.create(
            code=f"{side.township.code[:9]}{n:03d}",
            name=f"村{n}",
            level=RegionLevelChoices.VILLAGE,
            parent=side.township,
        )

    def create_payload(self, side):
        n = next(_n)
        return {
            "code": f"{side.township.code[:9]}{n:03d}",
            "name": f"新村{n}",
            "level": RegionLevelChoices.VILLAGE,
            "parent": side.township.code,
        }


class MemberUnitAPITest(APIScopeTestCase):
    model = MemberUnit
    basename = "memberunit"
    access = {"city_office": "write", "office": "write", "liaison": "read", "unit": "read"}
    update_payload = {"address": "人民西路1号"}

    def make(self, side):
        return MemberUnit.objects.create(
            name=f"单位{next(_n)}",
            credit_code=make_credit_code(),
            kind=UnitKindChoices.ENTERPRISE,
            sector=SectorChoices.HEALTH,
            region=side.county,
            managed_by=side.unit,
        )

    def create_payload(self, side):
        return {
            "name": f"新单位{next(_n)}",
            "credit_code": make_credit_code(),
            "kind": UnitKindChoices.ENTERPRISE,
            "sector": SectorChoices.EMERGENCY,
            "region": side.county.code,
        }


class MemberUnitContactAPITest(APIScopeTestCase):
    model = MemberUnitContact
    basename = "memberunitcontact"
    access = {"city_office": "write", "office": "write", "liaison": "read", "unit": "read"}
    update_payload = {"position": "科长"}

    def make(self, side):
        return MemberUnitContact.objects.create(unit=side.unit, name=f"联系人{next(_n)}", phone="13912345678")

    def create_payload(self, side):
        return {"unit": side.unit.pk, "name": "王伟", "phone": "13912345678"}


class OfficeAPITest(APIScopeTestCase):
    model = Office
    basename = "office"
    access = {"city_office": "write", "office": "write", "liaison": "read"}
    update_payload = {"phone": "0533-2180000"}

    def make(self, side):
        n = next(_n)
        # Under the district so the district office sees it (offices are one per region).
        region = Region.objects.create(
            code=f"{side.county.code[:6]}{n:03d}000",
            name=f"镇{n}",
            level=RegionLevelChoices.TOWNSHIP,
            parent=side.county,
        )
        return Office.objects.create(name=f"办公室{n}", level=OfficeLevelChoices.COUNTY, region=region)

    def create_payload(self, side):
        n = next(_n)
        region = Region.objects.create(
            code=f"{side.county.code[:6]}{n:03d}000",
            name=f"镇{n}",
            level=RegionLevelChoices.TOWNSHIP,
            parent=side.county,
        )
        return {"name": f"新办公室{n}", "level": OfficeLevelChoices.COUNTY, "region": region.code}


class WorkstationAPITest(APIScopeTestCase):
    model = Workstation
    basename = "workstation"
    access = {"city_office": "write", "office": "write", "liaison": "read", "inspector": "read", "director": "read"}
    update_payload = {"phone": "0533-2180001"}

    def _township(self, side):
        n = next(_n)
        return Region.objects.create(
            code=f"{side.county.code[:6]}{n:03d}000",
            name=f"镇{n}",
            level=RegionLevelChoices.TOWNSHIP,
            parent=side.county,
        )

    def make(self, side):
        township = self._township(side)
        if side is self.world.a:
            # Inside the grid users' township, so that they see it too.
            township = Region.objects.create(
                code=f"{side.township.code[:9]}{next(_n):03d}", name="村", level="village", parent=side.township
            )
        return Workstation.objects.create(name=f"工作站{next(_n)}", region=township, office=side.office)

    def create_payload(self, side):
        return {"name": f"新工作站{next(_n)}", "region": self._township(side).code, "office": side.office.pk}


class ContactPointAPITest(APIScopeTestCase):
    model = ContactPoint
    basename = "contactpoint"
    access = {"city_office": "write", "office": "write", "liaison": "read", "inspector": "read", "director": "read"}
    update_payload = {"name": "改名联络点"}

    def _village(self, side):
        n = next(_n)
        return Region.objects.create(
            code=f"{side.township.code[:9]}{n:03d}",
            name=f"村{n}",
            level=RegionLevelChoices.VILLAGE,
            parent=side.township,
        )

    def make(self, side):
        return ContactPoint.objects.create(
            name=f"联络点{next(_n)}", region=self._village(side), workstation=side.workstation
        )

    def create_payload(self, side):
        return {"name": "新联络点", "region": self._village(side).code, "workstation": side.workstation.pk}


class UserProfileAPITest(APIScopeTestCase):
    model = UserProfile
    basename = "userprofile"
    writable = False
    access = {"city_office": "read", "office": "read", "liaison": "read", "secadmin": "read"}
    everywhere = ("secadmin",)  # accounts are the security administrator's, wherever they work

    def make(self, side):
        from mobilization.services import user_assign_role

        return user_assign_role(username=f"u{next(_n)}", role=RoleChoices.OFFICE_STAFF, region=side.county).profile

    def create_payload(self, side):
        return {"role": "office_staff", "region": side.county.code}


class NotificationAPITest(APIScopeTestCase):
    """Each user reads only their own notifications, whatever their role."""

    model = Notification
    basename = "notification"
    writable = False
    access = {role: "read" for role in ROLES}

    def make(self, side):
        # Side A's object belongs to the requesting role's user: that is what "in scope" means here.
        if side is self.world.a:
            recipient = getattr(self, "_current_user", None) or self.world.users["office"]
        else:
            recipient = self.world.superuser
        notify(recipients=[recipient], key=f"test:{next(_n)}", kind="test", title="测试")
        return Notification.objects.filter(recipient=recipient).order_by("-id").first()

    def as_role(self, role):
        self._current_user = super().as_role(role)
        return self._current_user

    def test_list_is_scoped_per_role(self):
        for role in ("office", "unit", "inspector"):
            with self.subTest(role=role):
                self.as_role(role)
                mine, others = self.make(self.world.a), self.make(self.world.b)
                ids = self.ids_in(self.client.get(self.list_url()))
                self.assertIn(str(mine.pk), ids)
                self.assertNotIn(str(others.pk), ids)

    def test_detail_is_scoped_per_role(self):
        self.as_role("office")
        mine = self.make(self.world.a)
        self.as_role("unit")
        self.assertEqual(self.client.get(self.detail_url(mine)).status_code, 404)

    def test_update_per_role(self):
        """Notifications are read-only; `read` marks them."""
        self.as_role("unit")
        mine = self.make(self.world.a)
        self.assertIn(self.client.patch(self.detail_url(mine), {"title": "x"}).status_code, (403, 405))
        response = self.client.post(self.detail_url(mine) + "read/")
        self.assertEqual(response.status_code, 200)
        self.assertIsNotNone(response.json()["read_at"])

    def test_delete_per_role(self):
        self.as_role("unit")
        mine = self.make(self.world.a)
        self.assertIn(self.client.delete(self.detail_url(mine)).status_code, (403, 405))

    def test_read_all_marks_only_own(self):
        self.as_role("office")
        mine = self.make(self.world.a)
        self.as_role("unit")
        theirs = self.make(self.world.a)
        response = self.client.post(self.list_url() + "read-all/")
        self.assertEqual(response.json()["marked"], 1)
        mine.refresh_from_db()
        theirs.refresh_from_db()
        self.assertIsNone(mine.read_at)
        self.assertIsNotNone(theirs.read_at)

    def create_payload(self, side):
        return {"title": "x", "kind": "x", "key": "x"}


class AuditEventAPITest(APIScopeTestCase):
    model = AuditEvent
    basename = "auditevent"
    writable = False
    access = {"auditor": "read"}

    def make(self, side):
        event = audit_record(action="export", user=self.world.users["office"], detail={"side": side.tag})
        if side is self.world.b:
            # Nothing is outside the auditor's scope; an event the auditor cannot see is one
            # about nobody in particular, so "side B" is simply another event.
            return event
        return event

    def test_list_is_scoped_per_role(self):
        event = self.make(self.world.a)
        for role in ("city_office", "office", "unit", "inspector", "director", "liaison"):
            with self.subTest(role=role):
                self.as_role(role)
                response = self.client.get(self.list_url())
                if response.status_code == 200:
                    self.assertNotIn(str(event.pk), self.ids_in(response))
        self.as_role("auditor")
        self.assertIn(str(event.pk), self.ids_in(self.client.get(self.list_url())))

    def test_detail_is_scoped_per_role(self):
        event = self.make(self.world.a)
        for role in ("office", "unit", "liaison"):
            self.as_role(role)
            self.assertIn(self.client.get(self.detail_url(event)).status_code, (403, 404))
        self.as_role("auditor")
        self.assertEqual(self.client.get(self.detail_url(event)).status_code, 200)

    def test_update_per_role(self):
        event = self.make(self.world.a)
        self.as_role("auditor")
        self.assertIn(self.client.patch(self.detail_url(event), {"username": "x"}).status_code, (403, 405))

    def test_delete_per_role(self):
        event = self.make(self.world.a)
        for role in ("auditor", "office"):
            self.as_role(role)
            self.assertIn(self.client.delete(self.detail_url(event)).status_code, (403, 404, 405))
        self.assertTrue(AuditEvent.objects.filter(pk=event.pk).exists())

    def create_payload(self, side):
        return {"action": "export"}


class ChangeLogAPITest(WorldTestCase):
    """The auditor reads who changed what, across every record with history; nobody else does."""

    def test_auditor_reads_changes_with_user_and_kind(self):
        self.as_role("office")
        unit = self.world.a.unit
        self.client.patch(reverse("api:memberunit-detail", args=[unit.pk]), {"address": "新地址"}, format="json")
        self.as_role("auditor")
        response = self.client.get(reverse("api:changes") + "?model=mobilization.memberunit")
        self.assertEqual(response.status_code, 200)
        latest = response.json()["results"][0]
        self.assertEqual(
            (latest["record_model"], latest["record_id"], latest["history_type"], latest["history_user_id"]),
            ("mobilization.memberunit", str(unit.pk), "~", self.world.users["office"].pk),
        )
        everything = self.client.get(reverse("api:changes") + "?page_size=5")
        self.assertEqual(everything.status_code, 200)
        self.assertGreater(everything.json()["count"], 10)

    def test_unknown_model_is_a_clear_error(self):
        self.as_role("auditor")
        response = self.client.get(reverse("api:changes") + "?model=nope.nothing")
        self.assertEqual(response.status_code, 400)
        self.assertIn("model", response.json())

    def test_other_roles_are_refused(self):
        for role in ("office", "unit", "liaison", "inspector"):
            with self.subTest(role=role):
                self.as_role(role)
                self.assertEqual(self.client.get(reverse("api:changes")).status_code, 403)


class MemberUnitTreeTest(WorldTestCase):
    """A liaison sees the units their unit manages at any depth; moving a unit moves its subtree."""

    def test_moving_a_unit_moves_everything_it_manages(self):
        a = self.world.a
        grandchild = MemberUnit.objects.create(
            name="孙单位", credit_code=make_credit_code(), kind="enterprise", sector="health", region=a.county,
            managed_by=a.child_unit,
        )  # fmt: skip
        self.as_role("unit")
        ids = self.ids_in(self.client.get(reverse("api:memberunit-list")))
        self.assertTrue({str(a.unit.pk), str(a.child_unit.pk), str(grandchild.pk)} <= ids)
        self.assertNotIn(str(a.other_unit.pk), ids)
        a.child_unit.managed_by = a.other_unit
        a.child_unit.save()
        grandchild.refresh_from_db()
        self.assertTrue(grandchild.tree_path.startswith(a.other_unit.tree_path))
        self.assertEqual(a.child_unit.history.count(), 2)  # created, moved
        ids = self.ids_in(self.client.get(reverse("api:memberunit-list")))
        self.assertNotIn(str(grandchild.pk), ids)
