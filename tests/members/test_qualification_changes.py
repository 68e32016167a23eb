"""Qualifications in roster change requests: a liaison proposes adding or renewing a person's
certificate (portal form, API item, spreadsheet columns); bad rows are named by row, column and
reason and nothing is saved; office staff read it in the diff; approval applies it with the rest,
keeping history, and is refused when the person's qualification changed since."""

import io
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from simple_history.utils import bulk_update_with_history

from members import rosterfile
from members.models import Qualification, RosterChange
from members.services import (
    RosterChanged,
    RosterRowsInvalid,
    roster_change_approve,
    roster_change_import,
    roster_change_submit,
)
from tests.base import WorldTestCase
from tests.factories import add_member, make_kind, make_team, new_id_number

from .test_roster_changes import _clear_id, csv_file

OLD_COLUMNS = [
    "操作",
    "队伍名称",
    "姓名",
    "公民身份号码",
    "手机号码",
    "工作单位",
    "队内职务",
    "入队日期",
    "离队日期",
    "专业特长",
    "身体状况",
    "政治面貌",
    "退役军人",
    "紧急联系人",
    "紧急联系人电话",
]


class QualificationChangeTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.today = timezone.localdate()
        cls.team = make_team(cls.world.a, name="张店区应急救护队")
        cls.member = add_member(cls.team)
        cls.kind = make_kind()
        cls.other_kind = make_kind()
        cls.held = Qualification.objects.create(
            person=cls.member,
            kind=cls.kind,
            number="OLD-1",
            issued=cls.today - timedelta(days=3 * 365),
            expires=cls.today + timedelta(days=10),
        )

        cls.lapsed = Qualification.objects.create(
            person=cls.member,
            kind=make_kind(),
            issued=cls.today - timedelta(days=6 * 365),
            expires=cls.today - timedelta(days=365),
        )

    def setUp(self):
        self.user = self.world.users["unit"]
        self.office = self.world.users["office"]
        self.enterContext(translation.override("en"))  # reasons asserted in their source words

    def day(self, days):
        return (self.today + timedelta(days=days)).isoformat()

    def renew(self, **values):
        """A row renewing the member's certificate of `kind`."""
        return {
            "action": "修改",
            "id_number": _clear_id(self.member),
            "qualification_kind": self.kind.code,
            "qualification_number": "NEW-2",
            "qualification_issued": self.day(-1),
            "qualification_expires": self.day(3 * 365),
            **values,
        }

    def test_api_item_renews_on_approval_and_adds_for_a_new_person(self):
        self.client.force_authenticate(self.user)
        newcomer = new_id_number()
        items = [
            {
                "action": "edit",
                "person": self.member.pk,
                "qualification_kind": self.kind.name,  # by name as well as by code
                "qualification_number": "NEW-2",
                "qualification_issued": self.day(-1),
                "qualification_expires": self.day(1000),
            },
            {
                "action": "add",
                "team": str(self.team.pk),
                "name": "周航",
                "id_number": newcomer,
                "qualification_kind": self.other_kind.code,
                "qualification_issued": self.day(-30),
            },
        ]
        response = self.client.post(reverse("api:rosterchange-list"), {"items": items}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        change = RosterChange.objects.get()
        self.assertFalse(Qualification.objects.filter(number="NEW-2").exists(), "nothing applied before approval")
        history_before = self.held.history.count()

        self.client.force_authenticate(self.office)
        response = self.client.post(reverse("api:rosterchange-approve", args=[change.pk]))
        self.assertEqual(response.status_code, 200, response.content)
        renewed = Qualification.objects.get(person=self.member, kind=self.kind)  # updated, not a second one
        self.assertEqual(
            (renewed.pk, renewed.number, renewed.issued.isoformat(), renewed.expires.isoformat()),
            (self.held.pk, "NEW-2", self.day(-1), self.day(1000)),
        )
        self.assertEqual(renewed.history.count(), history_before + 1)
        self.assertEqual(renewed.history.first().history_user, self.office)
        added = Qualification.objects.get(person__memberships__team=self.team, kind=self.other_kind)
        self.assertEqual((added.person.name, added.number, added.expires), ("周航", "", None))
        self.assertEqual(added.history.count(), 1)

    def test_a_file_with_a_bad_qualification_row_saves_nothing(self):
        cases = [
            # (row values, column header, words of the reason)
            (self.renew(qualification_kind="没有这种证"), "资质类别", "no qualification kind"),
            (self.renew(qualification_kind=""), "资质类别", "required"),
            (
                self.renew(qualification_issued=self.day(-800), qualification_expires=self.day(-400)),
                "有效期至",
                "already expired",
            ),
            (self.renew(qualification_issued=self.day(5)), "发证日期", "future"),
            (self.renew(qualification_issued="去年"), "发证日期", "not a date"),
            (
                self.renew(qualification_issued=self.day(-10), qualification_expires=self.day(-20)),
                "有效期至",
                "expire before",
            ),
            # A new issue date alone, for a lapsed certificate: its old expiry would precede it.
            (
                self.renew(qualification_kind=self.lapsed.kind.code, qualification_expires=""),
                "有效期至",
                "expire before",
            ),
            (self.renew(qualification_kind=self.other_kind.code, qualification_issued=""), "发证日期", "required"),
            (self.renew(qualification_number="X" * 65), "证书编号", "At most 64"),
            (self.renew(action="移出"), "资质类别", "removal"),
        ]
        good = self.renew(id_number=_clear_id(add_member(self.team)))
        for values, column, words in cases:
            with self.subTest(column=column, words=words):
                counts = (RosterChange.objects.count(), Qualification.objects.count())
                with self.assertRaises(RosterRowsInvalid) as ctx:
                    roster_change_import(by=self.user, upload=csv_file([good, values]))
                errors = ctx.exception.errors
                self.assertEqual([(e["row"], e["column"]) for e in errors], [(3, column)], errors)
                self.assertIn(words, errors[0]["message"])
                self.assertEqual((RosterChange.objects.count(), Qualification.objects.count()), counts)

    def test_the_template_keeps_its_columns_and_appends_the_qualification_ones(self):
        ws = load_workbook(io.BytesIO(rosterfile.workbook_bytes(rosterfile.template_workbook()))).active
        self.assertEqual([c.value for c in ws[1]], [*OLD_COLUMNS, "资质类别", "证书编号", "发证日期", "有效期至"])

    def test_portal_propose_a_renewed_certificate_and_the_diff_shows_it(self):
        self.login("unit")
        url = reverse("portal:members-propose-for", args=[self.member.pk])
        page = self.client.get(url)
        self.assertContains(page, 'name="qualification_kind"')
        self.assertContains(page, 'name="qualification_expires"')
        data = {
            "action": "edit",
            "qualification_kind": self.kind.pk,
            "qualification_number": "NEW-3",
            "qualification_issued": self.day(-2),
            "qualification_expires": self.day(730),
        }
        response = self.client.post(url, {**data, "qualification_issued": self.day(3)}, format="multipart")
        self.assertContains(response, 'data-testid="row-error"', count=1)
        self.assertFalse(RosterChange.objects.exists())

        response = self.client.post(url, data, format="multipart")
        change = RosterChange.objects.get()
        self.assertRedirects(response, reverse("portal:members-change", args=[change.pk]))
        item = change.items.get()
        self.assertEqual(item.person_id, self.member.pk)
        self.assertEqual(item.data["qualification_kind"], self.kind.pk)
        self.assertEqual(item.before["qualification_expires"], self.held.expires.isoformat())
        detail = self.client.get(response.url)
        for words in (self.kind.name, "OLD-1", "NEW-3", self.held.expires.isoformat(), self.day(730)):
            self.assertContains(detail, words)

        # The office reads the same change in the admin's diff, and approves it.
        self.client.force_login(self.office)
        admin_page = self.client.get(reverse("admin:members_rosterchange_change", args=[change.pk]))
        self.assertContains(admin_page, f"<del>{self.held.expires.isoformat()}</del>", html=False)
        self.assertContains(admin_page, self.day(730))
        roster_change_approve(change=change, by=self.office)
        self.assertEqual(Qualification.objects.get(pk=self.held.pk).number, "NEW-3")

    def test_portal_adding_a_person_with_a_certificate(self):
        self.login("unit")
        number = new_id_number()
        data = {
            "action": "add",
            "id_number": number,
            "team": self.team.pk,
            "name": "吴晨",
            "qualification_kind": self.other_kind.pk,
            "qualification_issued": self.day(-100),
        }
        self.client.post(reverse("portal:members-propose"), data, format="multipart")
        change = RosterChange.objects.get()
        roster_change_approve(change=change, by=self.office)
        added = Qualification.objects.get(kind=self.other_kind)
        self.assertEqual((added.person.name, added.issued.isoformat()), ("吴晨", self.day(-100)))

    def test_approval_is_refused_when_the_certificate_changed_since(self):
        change = roster_change_submit(by=self.user, rows=[(1, self.renew())], source="api")
        Qualification.objects.filter(pk=self.held.pk).update(number="ADMIN-1", updated=timezone.now())
        with self.assertRaises(RosterChanged):
            roster_change_approve(change=change, by=self.office)
        self.assertEqual(Qualification.objects.get(pk=self.held.pk).number, "ADMIN-1")
        change.refresh_from_db()
        self.assertEqual(change.status, "pending")

    def test_an_unchanged_certificate_changes_nothing(self):
        row = self.renew(
            qualification_number=self.held.number,
            qualification_issued=self.held.issued.isoformat(),
            qualification_expires=self.held.expires.isoformat(),
        )
        with self.assertRaises(RosterRowsInvalid) as ctx:
            roster_change_submit(by=self.user, rows=[(1, row)], source="api")
        self.assertEqual([(e["row"], e["column"]) for e in ctx.exception.errors], [(1, "action")])
        self.assertIn("changes nothing", ctx.exception.errors[0]["message"])

    def test_validating_and_approving_qualification_rows_costs_the_same_queries_for_2_or_8_rows(self):
        members = [add_member(self.team) for _i in range(8)]
        for member in members[::2]:  # half renew, half add
            Qualification.objects.create(person=member, kind=self.kind, issued=date(2020, 1, 1))
        counts = []
        for size in (2, 2, 8):  # the first round also fills the user's caches (profile, permissions)
            rows = [(n, {**self.renew(), "id_number": _clear_id(m)}) for n, m in enumerate(members[:size], start=1)]
            with CaptureQueriesContext(connection) as submitted:
                change = roster_change_submit(by=self.user, rows=rows, source="api")
            with CaptureQueriesContext(connection) as approved:
                roster_change_approve(change=change, by=self.office)
            counts.append((len(submitted), len(approved)))
            Qualification.objects.filter(person__in=members[1::2]).delete()  # the next round adds them again
            # Reset with history, as any change of a record is: the next round's renewals then
            # differ from the record's last version and are audited like the first round's.
            reset = list(Qualification.objects.filter(person__in=members))
            for qualification in reset:
                qualification.number, qualification.expires = "", None
            bulk_update_with_history(reset, Qualification, ["number", "expires"])
        self.assertEqual(counts[1], counts[2])
