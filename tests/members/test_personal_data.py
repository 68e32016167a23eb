"""Personal data rules, table-driven: ID numbers (checksum, derived birth date and sex, uniqueness,
encrypted at rest, found by keyed hash), masking of ID numbers and phones per role, audited reveal."""

from datetime import date

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.urls import reverse

from members.masking import mask_id_number, mask_phone, phone_for
from members.models import Person
from members.services import person_create, person_update
from mobilization.models import AuditEvent
from tests.base import ROLES, WorldTestCase
from tests.factories import make_person

# (ID number as typed, birth date, sex) — each valid by its GB 11643 check character.
VALID = [
    ("11010519491231002X", date(1949, 12, 31), "F"),
    ("11010519491231002x", date(1949, 12, 31), "F"),  # a lower-case x is the same number
    ("440524198001010013", date(1980, 1, 1), "M"),
    (" 370303199001010017 ", date(1990, 1, 1), "M"),  # pasted with spaces
]
# (ID number, why it is refused)
INVALID = [
    ("110105194912310021", "checksum"),
    ("440524198001010014", "checksum"),
    ("37030319900101001", "format"),  # 17 characters
    ("3703031990010100171", "format"),
    ("37030319900101001A", "format"),
    ("370303199002300015", "birth_date"),  # 30 February
    ("", "format"),
]
ID_MASKS = [
    ("370303199001010017", "370303***********7"),
    ("11010519491231002X", "110105***********X"),
    ("", ""),
]
PHONE_MASKS = [("13812341234", "138****1234"), ("", ""), ("0533123", "*******"), ("0533-2186000", "053*******00")]
# Which roles read a full phone number (the rest read it masked).
SEES_PHONE = {"city_office": True, "office": True, "unit": True, "liaison": False, "auditor": False}


class MaskingTest(SimpleTestCase):
    def test_id_numbers_show_region_and_check_character_only(self):
        for value, masked in ID_MASKS:
            with self.subTest(value=value):
                self.assertEqual(mask_id_number(value), masked)

    def test_phones_hide_the_middle_four_digits(self):
        for value, masked in PHONE_MASKS:
            with self.subTest(value=value):
                self.assertEqual(mask_phone(value), masked)

    def test_anonymous_reads_a_masked_phone(self):
        self.assertEqual(phone_for(None, "13812341234"), "138****1234")


class IdNumberTest(WorldTestCase):
    def test_valid_numbers_derive_birth_year_and_sex(self):
        for value, birth, sex in VALID:
            with self.subTest(value=value):
                Person.objects.all().delete()
                person = person_create(name="张伟", id_number=value, employer=self.world.a.unit)
                self.assertEqual((person.birth_year, person.sex), (birth.year, sex))
                normal = value.strip().upper()
                self.assertEqual(person.id_number_masked, mask_id_number(normal))
                self.assertNotIn(normal, person.id_number_encrypted)  # never stored in clear
                self.assertEqual(Person.objects.by_id_number(value.lower()).get(), person)

    def test_invalid_numbers_are_refused_and_nothing_saved(self):
        for value, _reason in INVALID:
            with self.subTest(value=value), self.assertRaises(ValidationError) as ctx:
                person_create(name="张伟", id_number=value, employer=self.world.a.unit)
            self.assertIn("id_number", ctx.exception.message_dict)
        self.assertFalse(Person.objects.exists())

    def test_a_number_is_unique_across_the_system(self):
        person_create(name="张伟", id_number="370303199001010017", employer=self.world.a.unit)
        with self.assertRaises(ValidationError):
            person_create(name="李娜", id_number="370303199001010017", employer=self.world.b.unit)
        self.assertEqual(Person.objects.count(), 1)


class MaskedOutputTest(WorldTestCase):
    def setUp(self):
        self.person = make_person(self.world.a.unit, id_number="370303199001010017", phone="13812341234")

    def test_api_masks_phones_for_roles_that_do_not_call_people(self):
        url = reverse("api:person-detail", args=[self.person.pk])
        for role, sees in SEES_PHONE.items():
            with self.subTest(role=role):
                self.as_role(role)
                response = self.client.get(url)
                if role == "auditor":
                    self.assertEqual(response.status_code, 404)  # no person is in the auditor's scope
                    continue
                body = response.json()
                self.assertEqual(body["phone"], "13812341234" if sees else "138****1234")
                self.assertEqual(body["id_number_masked"], "370303***********7")
                self.assertNotIn("id_number", body)

    def test_admin_list_masks_phones_for_the_military_liaison(self):
        url = reverse("admin:members_person_changelist")
        for role, sees in (("office", True), ("liaison", False)):
            with self.subTest(role=role):
                self.login(role)
                content = self.client.get(url).content.decode()
                self.assertIn("370303***********7", content)
                self.assertNotIn("370303199001010017", content)
                self.assertEqual("13812341234" in content, sees)
                self.assertIn("138****1234" if not sees else "13812341234", content)


class HistoryMaskingTest(WorldTestCase):
    """The admin's history of a person under the change page's rules: phones masked for roles
    that do not call people, the encrypted and hashed ID number never shown."""

    def setUp(self):
        self.person = make_person(
            self.world.a.unit, id_number="370303199001010017", phone="13573583537", emergency_contact_phone=""
        )
        person_update(
            person=self.person,
            phone="13900009999",
            emergency_contact_phone="13711112222",
            id_number="11010519491231002X",
        )

    def test_history_shows_phones_as_the_role_may_read_them(self):
        url = reverse("admin:members_person_history", args=[self.person.pk])
        for role, sees in (("office", True), ("liaison", False)):
            with self.subTest(role=role):
                self.login(role)
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                content = response.content.decode()
                self.assertIn("&rarr;", content)  # the changes column is there
                for full, masked in (("13573583537", "135****3537"), ("13900009999", "139****9999")):
                    self.assertEqual(full in content, sees)
                    self.assertIn(full if sees else masked, content)
                self.assertEqual("13711112222" in content, sees)
                for version in self.person.history.all():
                    self.assertNotIn(version.id_number_hash, content)
                    self.assertNotIn(version.id_number_encrypted[:20], content)

    def test_a_past_version_masks_phones_and_is_scoped(self):
        version = self.person.history.earliest("history_date")
        url = reverse("admin:members_person_simple_history", args=[self.person.pk, version.history_id])
        self.login("liaison")
        content = self.client.get(url).content.decode()
        self.assertIn("135****3537", content)
        self.assertNotIn("13573583537", content)
        other = make_person(self.world.b.unit)
        other_version = other.history.get()
        url = reverse("admin:members_person_simple_history", args=[other.pk, other_version.history_id])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(reverse("admin:members_person_history", args=[other.pk])).status_code, 404)


# Who may not reveal, and what they hear: 403 where the person is in their scope (the unit's own
# liaison, the military liaison), 404 where it is not (the grid roles and the auditor see no roster).
REVEAL_REFUSED = {
    "unit": 403,
    "liaison": 403,
    "inspector": 404,
    "director": 404,
    "auditor": 404,
    "sysadmin": 404,
    "secadmin": 404,
}


class RevealTest(WorldTestCase):
    def setUp(self):
        self.person = make_person(self.world.a.unit, id_number="370303199001010017")
        self.url = reverse("api:person-reveal", args=[self.person.pk])

    def test_only_the_reveal_permission_reveals_and_each_reveal_is_audited(self):
        for role in ROLES:
            with self.subTest(role=role):
                self.as_role(role)
                before = AuditEvent.objects.filter(action="reveal").count()
                response = self.client.post(self.url)
                if role in ("city_office", "office"):
                    self.assertEqual(response.json(), {"id_number": "370303199001010017"})
                    event = AuditEvent.objects.filter(action="reveal").latest("pk")
                    self.assertEqual((event.user, event.object_id), (self.world.users[role], str(self.person.pk)))
                    self.assertEqual(AuditEvent.objects.filter(action="reveal").count(), before + 1)
                else:
                    self.assertEqual(response.status_code, REVEAL_REFUSED[role], response.content)
                    self.assertEqual(AuditEvent.objects.filter(action="reveal").count(), before)

    def test_out_of_scope_reveal_is_404(self):
        other = make_person(self.world.b.unit)
        self.as_role("office")
        self.assertEqual(self.client.post(reverse("api:person-reveal", args=[other.pk])).status_code, 404)

    def test_admin_reveal_shows_the_number_and_audits(self):
        self.login("office")
        response = self.client.post(reverse("admin:members_person_reveal", args=[self.person.pk]))
        self.assertContains(response, "370303199001010017")
        self.assertTrue(AuditEvent.objects.filter(action="reveal", object_id=str(self.person.pk)).exists())
        self.login("liaison")
        response = self.client.post(reverse("admin:members_person_reveal", args=[self.person.pk]))
        self.assertEqual(response.status_code, 403)

    def test_find_by_full_id_number_through_the_hash(self):
        self.as_role("office")
        response = self.client.get(reverse("api:person-list") + "?id_number=370303199001010017")
        self.assertEqual([r["id"] for r in response.json()["results"]], [self.person.pk])
