"""De-identification that holds (issue 10): what a role without the reveal permission is shown
anywhere — API, exports, admin and portal pages, history — rebuilds no ID number, and a dump of
the database (history tables included) holds no ID number, no full birth date and no phone in clear."""

import io
import re
from datetime import date

from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Person
from members.services import person_update, roster_change_submit
from mobilization.choices import NotificationKindChoices
from mobilization.models import MemberUnitContact, Notification, UserProfile
from mobilization.validators import id_number_check_digit
from tests.base import ROLES, WorldTestCase, make_id_number
from tests.factories import make_person, make_team

BIRTH = "19870708"  # a birth date found nowhere else in the test world
PHONES = ("13912345678", "13787654321", "13611112222", "13533334444", "13455556666", "13377778888")
MASK = re.compile(r"(\d{6})(\**)([\dX]{0,4})(?!\d)")
DATES = re.compile(r"(19\d\d|20\d\d)[-年/]?(\d\d)[-月/]?(\d\d)")


def rebuild(text, region="370303"):
    """Every ID number that `text` determines whole: 18 characters shown, or a mask whose hidden
    part is exactly a birth date shown beside it (and passes the check character)."""
    found = set(re.findall(r"\d{17}[\dX]", text))
    dates = {"".join(m) for m in DATES.findall(text)}
    for head, stars, tail in MASK.findall(text):
        if not stars or head != region:
            continue
        hidden = len(stars)
        for birth in dates:
            if hidden == 8 and len(tail) == 4:
                candidate = head + birth + tail
                if id_number_check_digit(candidate[:17]) == candidate[17]:
                    found.add(candidate)
    return found


def workbook_text(content):
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
    )


class ReconstructionTest(WorldTestCase):
    """Collect everything a role is shown about the persons and try to rebuild their numbers."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a = cls.world.a
        team = make_team(a)
        cls.numbers = [make_id_number(n, birth=BIRTH) for n in (11, 12, 13)]
        cls.persons = [
            make_person(a.unit, id_number=number, phone=PHONES[i], emergency_contact_phone=PHONES[i + 3])
            for i, number in enumerate(cls.numbers)
        ]
        for person in cls.persons:
            person.memberships.create(team=team, joined=date(2024, 1, 1))
        person_update(person=cls.persons[0], by=cls.world.users["office"], phone="13999990000")  # a history row

    def shown_to(self, role):
        """All text `role` can read about the persons, page by page."""
        user = self.login(role)
        self.client.force_authenticate(user)
        pages = []
        person = self.persons[0]
        for url in (
            reverse("api:person-list"),
            reverse("api:person-detail", args=[person.pk]),
            reverse("api:rosterchange-list"),
            reverse("admin:members_person_changelist"),
            reverse("admin:members_person_change", args=[person.pk]),
            reverse("admin:members_person_history", args=[person.pk]),
            reverse("portal:members-roster"),
        ):
            response = self.client.get(url)
            if response.status_code == 200:
                pages.append(response.content.decode())
        for url in (
            reverse("api:person-export"),
            reverse("portal:members-export"),
            reverse("admin:members_person_export"),
        ):
            response = self.client.get(url)
            if response.status_code == 200 and response.content[:2] == b"PK":
                pages.append(workbook_text(response.content))
        return "\n".join(pages)

    def test_no_role_without_the_reveal_permission_rebuilds_a_number(self):
        checked = 0
        for role in ROLES:
            user = self.world.users[role]
            if user.has_perm("members.reveal_id_number"):
                continue
            with self.subTest(role=role):
                text = self.shown_to(role)
                if "370303***********" in text:
                    checked += 1  # this role reads the persons: the test bites
                self.assertEqual(rebuild(text) & set(self.numbers), set())
                for number in self.numbers:
                    self.assertNotIn(number, text)
                self.assertNotIn("1987-07-08", text)
                self.assertNotIn(BIRTH, text)
        self.assertGreaterEqual(checked, 2, "the unit liaison and the military liaison read the roster")

    def test_the_rebuild_would_work_on_the_old_mask(self):
        """The attack the test runs is real: the former mask beside a birth date rebuilds the number."""
        number = self.numbers[0]
        text = f"{number[:6]}********{number[14:]} 1987-07-08"
        self.assertEqual(rebuild(text), {number})


def database_text():
    """The whole test database as text, as a dump shows it (SQLite iterdump; every table's rows on PostgreSQL)."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            lines.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(lines)


class AtRestTest(WorldTestCase):
    def test_a_dump_holds_no_id_number_no_birth_date_and_no_phone(self):
        a, office = self.world.a, self.world.users["office"]
        numbers = [make_id_number(n, birth=BIRTH) for n in (21, 22)]
        team = make_team(a)
        person = make_person(a.unit, id_number=numbers[0], phone=PHONES[0], emergency_contact_phone=PHONES[1])
        person_update(person=person, by=office, phone=PHONES[2])  # history holds both phones
        roster_change_submit(
            by=self.world.users["unit"],
            source="form",
            rows=[
                (
                    2,
                    {
                        "action": "add",
                        "team": str(team.pk),
                        "name": "李四",
                        "id_number": numbers[1],
                        "phone": PHONES[3],
                    },
                )
            ],
        )
        MemberUnitContact.objects.create(unit=a.unit, name="王五", phone=PHONES[4])
        UserProfile.objects.filter(user=office).update(phone=PHONES[5])
        Notification.objects.create(
            phone=PHONES[5], key="k", kind=NotificationKindChoices.ACTIVATION, title="t", send_sms=True
        )
        dump = database_text()
        self.assertIn("370303***********", dump, "the masked numbers are there: the dump is the real one")
        for number in numbers:
            self.assertNotIn(number, dump)
            self.assertNotIn(number[:17], dump)
        self.assertNotIn(BIRTH, dump)
        self.assertNotIn("1987-07-08", dump)
        for phone in PHONES:
            self.assertNotIn(phone, dump)
        self.assertEqual(rebuild(dump) & set(numbers), set())
        # And the system still reads what it keeps.
        person.refresh_from_db()
        self.assertEqual((person.phone, person.birth_year), (PHONES[2], 1987))
        self.assertEqual(Person.objects.by_id_number(numbers[0]).get(), person)
