"""Portal pages for the liaison (roster, one change at a time, requests and their diff) and the
admin pages for office staff (import, changelists), each scoped: out of scope answers 404."""

from django.urls import reverse

from members.models import Person, RosterChange
from members.services import roster_change_approve, roster_change_submit
from tests.base import WorldTestCase, delivered_in_process
from tests.factories import add_member, make_change, make_person, make_team, new_id_number

from .test_roster_changes import _clear_id, csv_file


class PortalTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.team = make_team(cls.world.a, name="张店区工程抢险队")
        cls.member = add_member(cls.team, id_number="370303199001010017", phone="13812341234")
        cls.stranger = make_person(cls.world.b.unit, name="外市人员")

    def test_roster_lists_the_liaisons_people_masked(self):
        self.login("unit")
        response = self.client.get(reverse("portal:members-roster"))
        self.assertContains(response, self.member.name)
        self.assertContains(response, "370303***********7")
        self.assertContains(response, "13812341234")
        self.assertNotContains(response, "370303199001010017")
        self.assertNotContains(response, "外市人员")

    def test_one_change_from_the_phone_form_becomes_a_pending_request(self):
        self.login("unit")
        url = reverse("portal:members-propose")
        self.assertEqual(self.client.get(url).status_code, 200)
        number = new_id_number()
        data = {"action": "add", "id_number": number, "team": self.team.pk, "name": "孙丽", "role": "member"}
        response = self.client.post(url, {**data, "id_number": number[:17] + "Y"}, format="multipart")
        self.assertContains(response, 'data-testid="row-error"')
        self.assertFalse(RosterChange.objects.exists())
        response = self.client.post(url, data, format="multipart")
        change = RosterChange.objects.get()
        self.assertRedirects(response, reverse("portal:members-change", args=[change.pk]))
        self.assertContains(self.client.get(response.url), "孙丽")

    def test_a_person_on_the_roster_is_edited_or_removed_from_their_row_without_the_full_id(self):
        self.login("unit")
        roster = self.client.get(reverse("portal:members-roster"))
        url = reverse("portal:members-propose-for", args=[self.member.pk])
        self.assertContains(roster, f'href="{url}"')
        page = self.client.get(url)
        self.assertContains(page, "370303***********7")
        self.assertNotContains(page, 'name="id_number"')
        self.assertContains(page, 'name="employer"')
        self.assertContains(page, 'name="veteran"')
        # The person is the page's, whatever the posted form says.
        data = {"action": "edit", "person": self.stranger.pk, "phone": "13900001111", "veteran": "true"}
        response = self.client.post(url, data, format="multipart")
        change = RosterChange.objects.get()
        self.assertRedirects(response, reverse("portal:members-change", args=[change.pk]))
        item = change.items.get()
        self.assertEqual((item.person_id, item.data), (self.member.pk, {"phone": "13900001111", "veteran": True}))
        change.delete()
        self.client.post(url, {"action": "edit", "employer": self.world.a.child_unit.pk}, format="multipart")
        self.assertEqual(RosterChange.objects.get().items.get().data["employer"], self.world.a.child_unit.pk)
        RosterChange.objects.all().delete()
        self.client.post(url, {"action": "remove", "left": "2026-06-30"}, format="multipart")
        item = RosterChange.objects.get().items.get()
        self.assertEqual((item.action, item.person_id, item.data), ("remove", self.member.pk, {"left": "2026-06-30"}))

    def test_a_person_out_of_scope_has_no_change_form(self):
        self.login("unit")
        url = reverse("portal:members-propose-for", args=[self.stranger.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {"action": "remove"}, format="multipart").status_code, 404)
        self.assertFalse(RosterChange.objects.exists())

    def test_requests_of_other_units_are_404(self):
        other = make_change(self.world.superuser, self.world.b)
        self.login("unit")
        self.assertEqual(self.client.get(reverse("portal:members-change", args=[other.pk])).status_code, 404)
        response = self.client.post(reverse("portal:members-change-withdraw", args=[other.pk]))
        self.assertEqual(response.status_code, 404)

    def test_the_military_liaison_reads_but_cannot_propose(self):
        self.login("liaison")
        self.assertEqual(self.client.get(reverse("portal:members-roster")).status_code, 200)
        self.assertEqual(self.client.get(reverse("portal:members-propose")).status_code, 403)
        self.assertEqual(self.client.get(reverse("portal:members-upload")).status_code, 403)
        url = reverse("portal:members-propose-for", args=[self.member.pk])
        roster = self.client.get(reverse("portal:members-roster"))
        self.assertContains(roster, self.member.name)  # the row is there, without a change link
        self.assertNotContains(roster, 'data-testid="propose-for"')
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, {"action": "remove"}, format="multipart").status_code, 403)
        self.assertFalse(RosterChange.objects.exists())

    def test_the_liaison_withdraws_a_pending_request(self):
        self.login("unit")
        change = roster_change_submit(
            by=self.world.users["unit"],
            rows=[(1, {"action": "edit", "id_number": _clear_id(self.member), "specialty": "起重"})],
            source="form",
        )
        self.client.post(reverse("portal:members-change-withdraw", args=[change.pk]))
        change.refresh_from_db()
        self.assertEqual(change.status, "withdrawn")


class StaleApprovalAPITest(WorldTestCase):
    def test_a_stale_request_answers_409_and_stays_pending(self):
        team = make_team(self.world.a)
        member = add_member(team)
        rows = [(1, {"action": "edit", "id_number": _clear_id(member), "specialty": "急救"})]
        stale = roster_change_submit(by=self.world.users["unit"], rows=rows, source="api")
        fresh = roster_change_submit(
            by=self.world.users["unit"],
            rows=[(1, {"action": "remove", "id_number": _clear_id(member)})],
            source="api",
        )
        roster_change_approve(change=fresh, by=self.world.users["office"])
        self.as_role("office")
        response = self.client.post(reverse("api:rosterchange-approve", args=[stale.pk]), {}, format="json")
        self.assertEqual(response.status_code, 409)
        stale.refresh_from_db()
        self.assertEqual(stale.status, "pending")


class AdminImportTest(WorldTestCase):
    def setUp(self):
        super().setUp()
        self.enterContext(delivered_in_process())  # the import job runs here, whatever the broker

    def test_office_imports_a_file_for_a_unit_as_a_pending_request(self):
        team = make_team(self.world.a, name="张店区危化品救援队")
        self.login("office")
        url = reverse("admin:members_rosterchange_import")
        self.assertEqual(self.client.get(url).status_code, 200)
        rows = [{"action": "新增", "team": team.name, "name": "周杰", "id_number": new_id_number()}]
        response = self.client.post(
            url, {"file": csv_file(rows), "unit": self.world.a.unit.pk}, format="multipart", follow=True
        )
        change = RosterChange.objects.get()
        self.assertEqual(response.redirect_chain[-1][0], reverse("admin:members_rosterchange_change", args=[change.pk]))
        self.assertEqual(change.unit, self.world.a.unit)
        self.assertFalse(Person.objects.filter(name="周杰").exists())

    def test_out_of_scope_unit_cannot_be_named(self):
        self.login("office")
        url = reverse("admin:members_rosterchange_import")
        rows = [{"action": "新增", "team": "x", "name": "周杰", "id_number": new_id_number()}]
        response = self.client.post(url, {"file": csv_file(rows), "unit": self.world.b.unit.pk}, format="multipart")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(RosterChange.objects.exists())

    def test_person_admin_pages_are_scoped(self):
        self.login("office")
        mine, theirs = make_person(self.world.a.unit), make_person(self.world.b.unit)
        self.assertEqual(self.client.get(reverse("admin:members_person_change", args=[mine.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:members_person_change", args=[theirs.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("admin:members_person_export")).status_code, 200)


class AdminQualificationTest(WorldTestCase):
    def test_office_extends_a_kind_from_the_admin_and_it_is_audited(self):
        from datetime import date, timedelta

        from dateutil.relativedelta import relativedelta

        from members.models import Qualification
        from mobilization.models import AuditEvent
        from tests.factories import make_kind

        kind = make_kind()
        far = date.today() + timedelta(days=200)
        q = Qualification.objects.create(
            person=make_person(self.world.a.unit), kind=kind, issued=date(2020, 1, 1), expires=far
        )
        self.login("office")
        url = reverse("admin:members_qualificationkind_changelist")
        data = {"action": "extend", "_selected_action": [kind.pk]}
        self.assertContains(self.client.post(url, data, format="multipart"), 'name="apply"')
        self.client.post(
            url, {**data, "apply": "1", "months": "12", "reason": "应急管理部延期通知"}, format="multipart"
        )
        q.refresh_from_db()
        self.assertEqual(q.expires, far + relativedelta(months=12))
        self.assertTrue(AuditEvent.objects.filter(action="bulk_change", object_id=str(kind.pk)).exists())

    def test_admin_finds_a_person_by_full_id_number(self):
        person = make_person(self.world.a.unit, id_number="370303199001010017")
        make_person(self.world.a.unit)
        self.login("office")
        response = self.client.get(reverse("admin:members_person_changelist") + "?q=370303199001010017")
        self.assertEqual(list(response.context["cl"].result_list), [person])
