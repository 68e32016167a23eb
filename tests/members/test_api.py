"""Every members resource through the shared bases: per-role scoping, CRUD and flat list queries."""

from datetime import date

from members.models import Membership, Person, Qualification, QualificationKind, RosterChange, RosterChangeItem
from tests.base import APIScopeTestCase

from .factories import add_row, make_change, make_kind, make_member, make_person, make_team, n, new_id_number

ROSTER_READERS = {"city_office": "write", "office": "write", "unit": "read", "liaison": "read"}


class QualificationKindAPITest(APIScopeTestCase):
    model = QualificationKind
    basename = "qualificationkind"
    scoped = False
    access = {**ROSTER_READERS, "sysadmin": "write"}  # reference data, kept by the system administrator
    update_payload = {"name": "改名资格"}

    def make(self, side):
        return make_kind()

    def create_payload(self, side):
        i = n()
        return {"code": f"new{i}", "name": f"新资格{i}"}


class PersonAPITest(APIScopeTestCase):
    model = Person
    basename = "person"
    access = ROSTER_READERS
    update_payload = {"specialty": "心肺复苏"}

    def make(self, side):
        return make_person(side.child_unit, phone="13912345678")

    def create_payload(self, side):
        return {"name": f"新人{n()}", "id_number": new_id_number(), "employer": side.unit.pk, "phone": "13900001111"}


class MembershipAPITest(APIScopeTestCase):
    model = Membership
    basename = "membership"
    access = ROSTER_READERS
    update_payload = {"role": "deputy"}

    def make(self, side):
        person = make_member(make_team(side))
        return person.memberships.get()

    def create_payload(self, side):
        return {
            "person": make_person(side.unit).pk,
            "team": make_team(side).pk,
            "role": "member",
            "joined": "2024-03-01",
        }


class QualificationAPITest(APIScopeTestCase):
    model = Qualification
    basename = "qualification"
    access = ROSTER_READERS
    update_payload = {"number": "ZS-0001"}

    def make(self, side):
        return Qualification.objects.create(
            person=make_person(side.unit), kind=make_kind(), issued=date(2022, 1, 1), expires=date(2030, 1, 1)
        )

    def create_payload(self, side):
        return {"person": make_person(side.unit).pk, "kind": make_kind().pk, "issued": "2024-01-01"}


class RosterChangeAPITest(APIScopeTestCase):
    model = RosterChange
    basename = "rosterchange"
    access = {"city_office": "write", "office": "write", "unit": "write", "liaison": "read"}
    update_payload = {"note": "补充说明"}
    deletable = False  # a request is withdrawn or decided, never deleted

    def make(self, side):
        return make_change(self.world.superuser, side)

    def create_payload(self, side):
        team = make_team(side)
        return {"unit": side.unit.pk, "note": "新增一人", "items": [add_row(team)]}


class RosterChangeItemAPITest(APIScopeTestCase):
    model = RosterChangeItem
    basename = "rosterchangeitem"
    access = {"city_office": "read", "office": "read", "unit": "read", "liaison": "read"}
    writable = False

    def make(self, side):
        return make_change(self.world.superuser, side).items.get()

    def create_payload(self, side):
        return {}
