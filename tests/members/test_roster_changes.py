"""Roster change requests: a spreadsheet validated whole (every bad row named by row, column and
reason; nothing saved unless all is good), a valid file is one pending request, approval applies
it in one transaction and is refused when the roster changed underneath, decisions notify."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from members import rosterfile
from members.models import Membership, Person, RosterChange, RosterChangeItem
from members.services import (
    RosterChanged,
    RosterRowsInvalid,
    roster_change_approve,
    roster_change_import,
    roster_change_reject,
    roster_change_submit,
)
from mobilization.models import Notification
from tests.base import WorldTestCase, delivered_in_process
from tests.factories import add_member, make_change, make_team, new_id_number

HEADERS = [header for _key, header in rosterfile.COLUMNS]


def csv_file(rows, *, name="roster.csv", encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(key, "") for key, _header in rosterfile.COLUMNS])
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, *, name="roster.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append([row.get(key, "") for key, _header in rosterfile.COLUMNS])
    return SimpleUploadedFile(name, rosterfile.workbook_bytes(wb))


def bad_checksum():
    good = new_id_number()
    return good[:17] + ("0" if good[17] != "0" else "1")


class ImportTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a, b = cls.world.a, cls.world.b
        cls.team = make_team(a, name="张店区消防救援队")
        cls.child_team = make_team(a, unit=a.child_unit, name="张店区人民医院医疗队")
        cls.other_team = make_team(a, unit=a.other_unit, name="张店区交通运输队")
        cls.b_team = make_team(b, name="市中区消防救援队")
        cls.member = add_member(cls.team)
        cls.elsewhere = add_member(cls.other_team)

    def setUp(self):
        self.enterContext(delivered_in_process())  # the import job runs here, whatever the broker
        self.user = self.world.users["unit"]
        self.enterContext(translation.override("en"))  # the reasons are asserted in their source words

    def add(self, **values):
        return {"action": "新增", "team": self.team.name, "name": "王强", "id_number": new_id_number(), **values}

    def import_errors(self, rows):
        before = (RosterChange.objects.count(), RosterChangeItem.objects.count(), Person.objects.count())
        with self.assertRaises(RosterRowsInvalid) as ctx:
            roster_change_import(by=self.user, upload=csv_file(rows))
        after = (RosterChange.objects.count(), RosterChangeItem.objects.count(), Person.objects.count())
        self.assertEqual(after, before, "a refused file leaves no trace")
        return ctx.exception.errors

    def test_each_bad_row_is_named_by_row_column_and_reason(self):
        cases = [
            # (row values, column header, words of the reason)
            (self.add(id_number=bad_checksum()), "公民身份号码", "check digit"),
            (self.add(team="不存在的队伍"), "队伍名称", "no team named"),
            (self.add(team=self.other_team.name), "队伍名称", "not one of your unit"),
            (self.add(team=self.b_team.name), "队伍名称", "not one of your unit"),
            (self.add(employer=self.world.a.other_unit.name), "工作单位", "outside your scope"),
            (self.add(name=""), "姓名", "required"),
            (self.add(action=""), "操作", "required"),
            (self.add(id_number=""), "公民身份号码", "required"),
            (self.add(team=""), "队伍名称", "required"),
            (self.add(phone="12345"), "手机号码", "11-digit mobile number"),
            (self.add(joined="去年"), "入队日期", "not a date"),
            (self.add(role="司令"), "队内职务", "not one of"),
        ]
        for values, column, words in cases:
            with self.subTest(column=column, words=words):
                errors = self.import_errors([self.add(), values])
                self.assertEqual([(e["row"], e["column"]) for e in errors], [(3, column)], errors)
                self.assertIn(words, errors[0]["message"])

    def test_duplicate_within_the_file_names_the_first_row(self):
        number = new_id_number()
        errors = self.import_errors([self.add(id_number=number), self.add(), self.add(id_number=number)])
        self.assertEqual([(e["row"], e["column"]) for e in errors], [(4, "公民身份号码")])
        self.assertIn("row 2", errors[0]["message"])

    def test_person_already_in_another_team_is_named_only_within_scope(self):
        in_child_team = add_member(self.child_team)
        errors = self.import_errors([self.add(id_number=_clear_id(in_child_team))])
        self.assertEqual([(e["row"], e["column"]) for e in errors], [(2, "公民身份号码")])
        self.assertIn(self.child_team.name, errors[0]["message"])
        # The other team is not the liaison's: naming it would tell anyone holding an ID number
        # where that person serves.
        errors = self.import_errors([self.add(id_number=_clear_id(self.elsewhere))])
        self.assertEqual([(e["row"], e["column"]) for e in errors], [(2, "公民身份号码")])
        self.assertIn("already in another team", errors[0]["message"])
        self.assertNotIn(self.other_team.name, errors[0]["message"])

    def test_teams_not_active_take_no_new_members(self):
        for status in ("standing_down", "disbanded"):
            with self.subTest(status=status):
                team = make_team(self.world.a, status=status)
                errors = self.import_errors([self.add(team=team.name)])
                self.assertEqual([(e["row"], e["column"]) for e in errors], [(2, "队伍名称")])
                self.assertIn("not active", errors[0]["message"])

    def test_an_edit_may_move_a_person_to_another_employer_in_scope(self):
        child = self.world.a.child_unit
        rows = [{"action": "修改", "id_number": _clear_id(self.member), "employer": child.name}]
        change = roster_change_import(by=self.user, upload=xlsx_file(rows))
        item = change.items.get()
        self.assertEqual(item.data, {"employer": child.pk, "employer_name": child.name})
        self.assertEqual(item.before, {"employer": self.world.a.unit.pk, "employer_name": self.world.a.unit.name})
        roster_change_approve(change=change, by=self.world.users["office"])
        self.assertEqual(Person.objects.get(pk=self.member.pk).employer, child)

    def test_an_employer_edit_through_the_api_shows_both_names(self):
        self.client.force_authenticate(self.user)
        item = {"action": "edit", "id_number": _clear_id(self.member), "employer": self.world.a.child_unit.name}
        response = self.client.post(reverse("api:rosterchange-list"), {"items": [item]}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["item_counts"], {"add": 0, "edit": 1, "remove": 0, "total": 1})
        items = self.client.get(body["items_url"])
        self.assertEqual(items.json()["count"], 1)
        [change] = items.json()["results"][0]["diff"]["changes"]
        self.assertEqual(
            (change["field"], change["before"], change["after"]),
            ("employer_name", self.world.a.unit.name, self.world.a.child_unit.name),
        )

    def test_two_rows_naming_one_person_by_id_or_number_are_refused(self):
        self.client.force_authenticate(self.user)
        url = reverse("api:rosterchange-list")
        cases = [
            [{"action": "edit", "person": self.member.pk, "phone": "13900001111"}],
            [{"action": "edit", "id_number": _clear_id(self.member), "phone": "13900001111"}],
        ]
        for first in cases:
            with self.subTest(first=first[0].keys()):
                items = [*first, {"action": "remove", "person": self.member.pk}]
                response = self.client.post(url, {"items": items}, format="json")
                self.assertEqual(response.status_code, 400, response.content)
                [error] = response.json()["errors"]
                self.assertEqual((error["row"], error["column"]), (2, "person"))
                self.assertIn("第 1 行", error["message"])
        items = [{"action": "remove", "person": self.member.pk}, self.add(id_number=_clear_id(self.member))]
        errors = self.client.post(url, {"items": items}, format="json").json()["errors"]
        self.assertEqual([(e["row"], e["column"]) for e in errors], [(2, "id_number")])
        self.assertFalse(RosterChange.objects.exists())

    def test_office_imports_through_the_api_for_a_unit_it_names(self):
        self.as_role("office")
        url = reverse("api:rosterchange-import-file")
        response = self.client.post(url, {"file": csv_file([self.add()])}, format="multipart")
        self.assertEqual((response.status_code, response.json()["errors"][0]["column"]), (400, "unit"))
        response = self.client.post(
            url, {"file": csv_file([self.add()]), "unit": self.world.b.unit.pk}, format="multipart"
        )
        self.assertEqual((response.status_code, response.json()["errors"][0]["column"]), (400, "unit"))
        self.assertFalse(RosterChange.objects.exists())
        response = self.client.post(
            url, {"file": csv_file([self.add()]), "unit": self.world.a.unit.pk}, format="multipart"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(RosterChange.objects.get().unit, self.world.a.unit)

    def test_every_bad_row_is_reported_at_once(self):
        rows = [self.add(id_number=bad_checksum()), self.add(), self.add(team="没有"), self.add(name="")]
        errors = self.import_errors(rows)
        self.assertEqual([e["row"] for e in errors], [2, 4, 5])

    def test_a_valid_file_is_one_pending_request_and_nothing_on_the_roster_yet(self):
        persons = Person.objects.count()
        rows = [self.add(), self.add(team=self.child_team.name, role="副队长"), self.add(phone="13912345678")]
        rows.append({"action": "移出", "id_number": "", "team": self.team.name})
        rows[-1]["id_number"] = _clear_id(self.member)
        for upload in (xlsx_file(rows), csv_file(rows, encoding="gb18030")):
            with self.subTest(upload=upload.name):
                change = roster_change_import(by=self.user, upload=upload)
                self.assertEqual(change.status, "pending")
                self.assertEqual(change.unit, self.world.a.unit)
                self.assertEqual(sorted(change.items.values_list("action", flat=True)), ["add", "add", "add", "remove"])
                self.assertEqual(Person.objects.count(), persons)
                self.assertNotIn(rows[0]["id_number"], str(list(change.items.values("data"))))
                change.delete()

    def test_wrong_file_types_are_refused(self):
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
        for name, content in (("photo.csv", png), ("roster.xlsx", pdf), ("roster.xlsx", b"PK\x03\x04broken zip")):
            with self.subTest(name=name), self.assertRaises(rosterfile.UploadRefused):
                roster_change_import(by=self.user, upload=SimpleUploadedFile(name, content))
        with self.assertRaises(rosterfile.UploadRefused):
            roster_change_import(by=self.user, upload=SimpleUploadedFile("x.csv", "姓名,电话\n张三,1\n".encode()))
        self.assertFalse(RosterChange.objects.exists())

    def test_api_import_answers_400_with_rows_or_201(self):
        self.client.force_authenticate(self.user)
        url = reverse("api:rosterchange-import-file")
        response = self.client.post(url, {"file": csv_file([self.add(id_number=bad_checksum())])}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["row"], 2)
        self.assertEqual(response.json()["errors"][0]["column"], "公民身份号码")
        response = self.client.post(url, {"file": xlsx_file([self.add()])}, format="multipart")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], "pending")

    def test_template_has_the_chinese_headers(self):
        self.client.force_authenticate(self.user)
        response = self.client.get(reverse("api:rosterchange-template"))
        self.assertEqual(response.status_code, 200)
        ws = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual([c.value for c in ws[1]], HEADERS)

    def test_template_keeps_ids_and_phones_as_text_down_to_the_last_row_a_file_may_hold(self):
        content = rosterfile.workbook_bytes(rosterfile.template_workbook())
        self.assertLess(len(content), 50_000)
        ws = load_workbook(io.BytesIO(content)).active
        for key in ("id_number", "phone", "emergency_contact_phone"):
            with self.subTest(key=key):
                column = [k for k, _h in rosterfile.COLUMNS].index(key) + 1
                letter = ws.cell(row=1, column=column).column_letter
                # Excel formats a cell nobody styled by its column's style: text, on every row.
                self.assertEqual(ws.column_dimensions[letter].number_format, "@")
                for row in (2, 10_000, rosterfile.MAX_ROWS + 1):
                    self.assertNotIn((row, column), ws._cells)  # no cell overriding the column

    def test_portal_upload_lists_the_bad_rows(self):
        self.client.force_login(self.user)
        url = reverse("portal:members-upload")
        response = self.client.post(
            url, {"file": csv_file([self.add(), self.add(team="没有这个队")])}, format="multipart"
        )
        self.assertContains(response, "没有这个队")
        self.assertContains(response, 'data-testid="row-error"', count=1)
        self.assertFalse(RosterChange.objects.exists())
        response = self.client.post(url, {"file": csv_file([self.add()])}, format="multipart", follow=True)
        change = RosterChange.objects.get()
        self.assertEqual(response.redirect_chain[-1][0], reverse("portal:members-change", args=[change.pk]))


def _clear_id(person):
    from mobilization.crypto import decrypt

    return decrypt(Person.objects.get(pk=person.pk).id_number_encrypted)


class DecisionTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.team = make_team(cls.world.a, name="张店区医疗救护队")
        cls.member = add_member(cls.team)

    def submit(self, rows):
        return roster_change_submit(by=self.world.users["unit"], rows=list(enumerate(rows, start=1)), source="api")

    def test_approval_applies_everything_and_notifies_the_liaison(self):
        new_number = new_id_number()
        change = self.submit(
            [
                {"action": "add", "team": str(self.team.pk), "name": "李娜", "id_number": new_number},
                {"action": "edit", "id_number": _clear_id(self.member), "phone": "13700001111", "role": "leader"},
            ]
        )
        roster_change_approve(change=change, by=self.world.users["office"])
        person = Person.objects.by_id_number(new_number).get()
        self.assertEqual(person.memberships.get().team, self.team)
        self.assertEqual(person.employer, self.team.unit)
        member = Person.objects.get(pk=self.member.pk)
        self.assertEqual(member.phone, "13700001111")
        self.assertEqual(member.memberships.get().role, "leader")
        change.refresh_from_db()
        self.assertEqual((change.status, change.decided_by), ("approved", self.world.users["office"]))
        note = Notification.objects.get(recipient=self.world.users["unit"])
        self.assertIn(str(change.pk), note.title)
        with self.assertRaises(ValidationError):  # decided once
            roster_change_approve(change=change, by=self.world.users["office"])

    def test_removal_ends_the_membership_and_keeps_the_history(self):
        change = self.submit([{"action": "remove", "id_number": _clear_id(self.member), "left": "2026-06-30"}])
        roster_change_approve(change=change, by=self.world.users["office"])
        membership = Membership.objects.get(person_id=self.member.pk)
        self.assertEqual(str(membership.left), "2026-06-30")
        self.assertTrue(Person.objects.filter(pk=self.member.pk).exists())

    def test_approval_is_refused_when_the_roster_changed_since(self):
        change = self.submit([{"action": "edit", "id_number": _clear_id(self.member), "specialty": "急救"}])
        other = self.submit([{"action": "edit", "id_number": _clear_id(self.member), "phone": "13600001111"}])
        roster_change_approve(change=other, by=self.world.users["office"])
        with self.assertRaises(RosterChanged):
            roster_change_approve(change=change, by=self.world.users["office"])
        change.refresh_from_db()
        self.assertEqual(change.status, "pending")
        self.assertEqual(Person.objects.get(pk=self.member.pk).specialty, "")

    def test_a_refused_approval_applies_nothing_even_for_its_other_rows(self):
        newcomer = new_id_number()
        change = self.submit(
            [
                {"action": "add", "team": str(self.team.pk), "name": "赵敏", "id_number": newcomer},
                {"action": "remove", "id_number": _clear_id(self.member)},
            ]
        )
        Membership.objects.filter(person_id=self.member.pk).update(role="deputy")  # edited in the admin meanwhile
        Person.objects.filter(pk=self.member.pk).update(specialty="破拆")
        with self.assertRaises(RosterChanged):
            roster_change_approve(change=change, by=self.world.users["office"])
        self.assertFalse(Person.objects.by_id_number(newcomer).exists())
        self.assertIsNone(Membership.objects.get(person_id=self.member.pk).left)

    def test_api_decisions_need_the_permission_and_a_rejection_a_reason(self):
        change = self.submit([{"action": "edit", "id_number": _clear_id(self.member), "specialty": "急救"}])
        self.client.force_authenticate(self.world.users["unit"])
        self.assertEqual(self.client.post(reverse("api:rosterchange-approve", args=[change.pk])).status_code, 403)
        self.client.force_authenticate(self.world.users["office"])
        url = reverse("api:rosterchange-reject", args=[change.pk])
        self.assertEqual(self.client.post(url, {"reason": ""}, format="json").status_code, 400)
        response = self.client.post(url, {"reason": "身份证号与本人不符"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "rejected")
        self.assertTrue(
            Notification.objects.filter(recipient=self.world.users["unit"], body="身份证号与本人不符").exists()
        )

    def test_reject_requires_a_reason(self):
        change = self.submit([{"action": "edit", "id_number": _clear_id(self.member), "specialty": "急救"}])
        with self.assertRaises(ValidationError):
            roster_change_reject(change=change, by=self.world.users["office"], reason=" ")

    def test_office_approves_in_the_admin_with_a_readable_diff(self):
        change = self.submit([{"action": "edit", "id_number": _clear_id(self.member), "specialty": "急救"}])
        self.client.force_login(self.world.users["office"])
        page = self.client.get(reverse("admin:members_rosterchange_change", args=[change.pk]))
        self.assertContains(page, "急救")
        self.assertContains(page, 'data-testid="approve"')
        self.client.post(
            reverse("admin:members_rosterchange_decide", args=[change.pk]), {"approve": "1"}, format="multipart"
        )
        self.assertEqual(Person.objects.get(pk=self.member.pk).specialty, "急救")
        other_side = make_change(self.world.superuser, self.world.b)
        self.assertEqual(
            self.client.get(reverse("admin:members_rosterchange_change", args=[other_side.pk])).status_code, 404
        )
