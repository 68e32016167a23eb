"""Every teams resource through the shared bases: per-role scoping, CRUD and flat list queries."""

import itertools
from datetime import timedelta

from django.utils import timezone

from members.models import QualificationKind
from teams.models import (
    Activation,
    ActivationTeam,
    Equipment,
    EquipmentItem,
    StandbyDuty,
    Team,
    TeamCategory,
    TeamType,
    TypeEquipmentRequirement,
    TypeQualificationRequirement,
)
from tests.base import APIScopeTestCase

from .factories import add_member, make_team

_n = itertools.count(1)
TAXONOMY_READERS = {
    "city_office": "write",
    "office": "write",
    "unit": "read",
    "inspector": "read",
    "director": "read",
    "liaison": "read",
    "sysadmin": "write",  # the taxonomy is reference data, the system administrator's to keep
}
CATALOGUE_READERS = {"city_office": "write", "office": "write", "unit": "read", "liaison": "read", "sysadmin": "write"}


def _category():
    return TeamCategory.objects.get(code="rescue")


class TeamCategoryAPITest(APIScopeTestCase):
    model = TeamCategory
    basename = "teamcategory"
    scoped = False
    access = TAXONOMY_READERS
    update_payload = {"name": "改名类别"}

    def make(self, side):
        i = next(_n)
        return TeamCategory.objects.create(code=f"cat{i}", name=f"类别{i}", order=10 + i)

    def create_payload(self, side):
        i = next(_n)
        return {"code": f"newcat{i}", "name": f"新类别{i}", "order": 9}


class TeamTypeAPITest(APIScopeTestCase):
    model = TeamType
    basename = "teamtype"
    scoped = False
    access = TAXONOMY_READERS
    update_payload = {"min_headcount": 20}

    def make(self, side):
        i = next(_n)
        return TeamType.objects.create(category=_category(), code=f"type{i}", name=f"类型{i}", min_headcount=8)

    def create_payload(self, side):
        i = next(_n)
        return {"category": _category().pk, "code": f"newtype{i}", "name": f"新类型{i}", "min_headcount": 6}

    def test_type_shows_its_minimum_capability(self):
        self.as_role("director")
        response = self.client.get(self.list_url(category="rescue", q="消防救援"))
        (row,) = response.json()["results"]
        self.assertEqual(row["min_headcount"], 15)
        self.assertEqual(row["qualification_requirements"][0]["kind"]["code"], "firefighter")
        self.assertEqual(
            {e["item"]["code"] for e in row["equipment_requirements"]}, {"fire_engine", "breathing_apparatus"}
        )


class EquipmentItemAPITest(APIScopeTestCase):
    model = EquipmentItem
    basename = "equipmentitem"
    scoped = False
    access = CATALOGUE_READERS
    update_payload = {"unit": "套"}

    def make(self, side):
        i = next(_n)
        return EquipmentItem.objects.create(code=f"item{i}", name=f"装备{i}")

    def create_payload(self, side):
        i = next(_n)
        return {"code": f"newitem{i}", "name": f"新装备{i}", "unit": "台"}


class TypeQualificationRequirementAPITest(APIScopeTestCase):
    model = TypeQualificationRequirement
    basename = "typequalificationrequirement"
    scoped = False
    access = CATALOGUE_READERS
    update_payload = {"min_share": 75}

    def make(self, side):
        i = next(_n)
        team_type = TeamType.objects.create(category=_category(), code=f"qt{i}", name=f"类型{i}")
        kind = QualificationKind.objects.create(code=f"qk{i}", name=f"资格{i}")
        return TypeQualificationRequirement.objects.create(team_type=team_type, kind=kind, min_share=50)

    def create_payload(self, side):
        i = next(_n)
        team_type = TeamType.objects.create(category=_category(), code=f"nqt{i}", name=f"类型{i}")
        return {"team_type": team_type.pk, "kind": QualificationKind.objects.get(code="nurse").pk, "min_share": 40}

    def test_share_above_100_is_refused(self):
        self.as_role("office")
        payload = {**self.create_payload(self.world.a), "min_share": 101}
        self.assertEqual(self.client.post(self.list_url(), payload, format="json").status_code, 400)


class TypeEquipmentRequirementAPITest(APIScopeTestCase):
    model = TypeEquipmentRequirement
    basename = "typeequipmentrequirement"
    scoped = False
    access = CATALOGUE_READERS
    update_payload = {"min_quantity": 4}

    def make(self, side):
        i = next(_n)
        team_type = TeamType.objects.create(category=_category(), code=f"et{i}", name=f"类型{i}")
        return TypeEquipmentRequirement.objects.create(
            team_type=team_type, item=EquipmentItem.objects.get(code="truck"), min_quantity=2
        )

    def create_payload(self, side):
        i = next(_n)
        team_type = TeamType.objects.create(category=_category(), code=f"net{i}", name=f"类型{i}")
        return {"team_type": team_type.pk, "item": EquipmentItem.objects.get(code="van").pk, "min_quantity": 1}


class TeamAPITest(APIScopeTestCase):
    model = Team
    basename = "team"
    access = {"city_office": "write", "office": "write", "unit": "read", "liaison": "read"}
    update_payload = {"duty_phone": "0533-1234567"}
    deletable = True

    def make(self, side):
        return make_team(side)

    def test_a_team_with_a_roster_is_disbanded_not_deleted(self):
        team = make_team(self.world.a)
        add_member(team)
        self.as_role("office")
        response = self.client.delete(self.detail_url(team))
        self.assertEqual(response.status_code, 400)
        self.assertTrue(Team.objects.filter(pk=team.pk).exists())

    def create_payload(self, side):
        return {
            "name": f"新队伍{next(_n)}",
            "team_type": TeamType.objects.get(code="medical_rescue").pk,
            "level": "county",
            "region": side.county.code,
            "unit": side.unit.pk,
            "authorised_strength": 14,
        }

    def test_readiness_object_and_ready_filter(self):
        not_ready = make_team(self.world.a, name="人少的队")
        self.as_role("unit")
        response = self.client.get(self.list_url(ready="false", page_size=100), HTTP_ACCEPT_LANGUAGE="en")
        rows = {row["id"]: row for row in response.json()["results"]}
        self.assertIn(not_ready.pk, rows)
        readiness = rows[not_ready.pk]["readiness"]
        self.assertFalse(readiness["ready"])
        self.assertEqual((readiness["headcount"], readiness["min_headcount"]), (0, 15))
        self.assertTrue(readiness["reasons"])
        self.assertEqual(readiness["qualifications"][0]["kind"]["code"], "firefighter")
        self.assertEqual(rows[not_ready.pk]["category"]["display"], "抢险救援")
        response = self.client.get(self.list_url(ready="true", page_size=100))
        self.assertNotIn(not_ready.pk, self.ids_in(response))

    def test_filters_by_category_type_level_status_and_unit(self):
        medical = make_team(
            self.world.a, team_type=TeamType.objects.get(code="medical_rescue"), unit=self.world.a.child_unit
        )
        fire = make_team(self.world.a, level="county", status="standing_down")
        self.as_role("office")
        cases = [
            ({"category": "rescue"}, {medical, fire}, set()),
            ({"type": "medical_rescue"}, {medical}, {fire}),
            ({"type": medical.team_type_id}, {medical}, {fire}),
            ({"status": "standing_down"}, {fire}, {medical}),
            ({"unit": self.world.a.child_unit.pk}, {medical}, {fire}),
            ({"level": "municipal"}, set(), {medical, fire}),
        ]
        for params, present, absent in cases:
            with self.subTest(params):
                ids = self.ids_in(self.client.get(self.list_url(page_size=100, **params)))
                self.assertTrue({str(t.pk) for t in present} <= ids)
                self.assertFalse({str(t.pk) for t in absent} & ids)

    def test_a_change_answers_with_the_readiness_it_causes(self):
        team = make_team(self.world.a)
        self.as_role("office")
        response = self.client.patch(self.detail_url(team), {"status": "standing_down"}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertIn("The team is not active (Standing down).", response.json()["readiness"]["reasons"])

    def test_ordering_on_readiness(self):
        make_team(self.world.a)
        self.as_role("office")
        response = self.client.get(self.list_url(ordering="-ready,current_headcount"))
        self.assertEqual(response.status_code, 200)

    def test_level_must_match_the_region(self):
        self.as_role("office")
        payload = {**self.create_payload(self.world.a), "level": "municipal"}
        response = self.client.post(self.list_url(), payload, format="json")
        self.assertEqual(response.status_code, 400, response.content)


class EquipmentAPITest(APIScopeTestCase):
    model = Equipment
    basename = "equipment"
    access = {"city_office": "write", "office": "write", "unit": "read", "liaison": "read"}
    update_payload = {"condition": "needs_repair"}

    def make(self, side):
        return Equipment.objects.create(
            team=make_team(side), item=EquipmentItem.objects.get(code="fire_engine"), quantity=2
        )

    def create_payload(self, side):
        return {"team": make_team(side).pk, "item": EquipmentItem.objects.get(code="ambulance").pk, "quantity": 3}

    def test_unit_of_measure_defaults_to_the_items(self):
        self.as_role("office")
        response = self.client.post(self.list_url(), self.create_payload(self.world.a), format="json")
        self.assertEqual(response.json()["unit"], "辆")


class StandbyDutyAPITest(APIScopeTestCase):
    """Liaisons keep the standby rota of their own teams (it is not the approved roster)."""

    model = StandbyDuty
    basename = "standbyduty"
    access = {"city_office": "write", "office": "write", "unit": "write", "liaison": "read"}
    update_payload = {"officer_name": "李强"}

    def _span(self):
        start = timezone.now() + timedelta(days=next(_n))
        return start, start + timedelta(hours=12)

    def make(self, side):
        start, end = self._span()
        return StandbyDuty.objects.create(
            team=make_team(side), start=start, end=end, officer_name="王伟", officer_phone="13900000000"
        )

    def create_payload(self, side):
        start, end = self._span()
        return {
            "team": make_team(side).pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "officer_name": "张敏",
            "officer_phone": "13900000001",
        }

    def test_overlapping_duty_is_refused_with_a_message(self):
        duty = self.make(self.world.a)
        self.as_role("unit")
        payload = {
            **self.create_payload(self.world.a),
            "team": duty.team_id,
            "start": (duty.start + timedelta(hours=1)).isoformat(),
        }
        payload["end"] = (duty.end + timedelta(hours=1)).isoformat()
        response = self.client.post(self.list_url(), payload, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("non_field_errors", response.json())

    def test_liaison_cannot_keep_another_units_rota(self):
        self.as_role("unit")
        payload = {
            **self.create_payload(self.world.a),
            "team": make_team(self.world.a, unit=self.world.a.other_unit).pk,
        }
        self.assertEqual(self.client.post(self.list_url(), payload, format="json").status_code, 400)


def make_activation(side, *, teams=None):
    teams = teams or [make_team(side)]
    activation = Activation.objects.create(title=f"启动{next(_n)}", reason="暴雨", region=side.county)
    for team in teams:
        ActivationTeam.objects.create(activation=activation, team=team, notified_at=timezone.now())
    return activation


class ActivationAPITest(APIScopeTestCase):
    model = Activation
    basename = "activation"
    access = {"city_office": "write", "office": "write", "unit": "read", "liaison": "read"}
    update_payload = {"title": "改名的启动令"}

    def make(self, side):
        return make_activation(side)

    def create_payload(self, side):
        return {"title": "防汛启动", "reason": "特大暴雨", "region": side.county.code, "teams": [make_team(side).pk]}


class ActivationTeamAPITest(APIScopeTestCase):
    model = ActivationTeam
    basename = "activationteam"
    writable = False
    access = {"city_office": "read", "office": "read", "unit": "read", "liaison": "read"}

    def make(self, side):
        return make_activation(side).callouts.get()

    def create_payload(self, side):
        return {"activation": 0, "team": 0}  # refused before it is read: call-outs come from orders
