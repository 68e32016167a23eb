"""Spreadsheets never hold formulas from user text (issue 10): a person or employer name that
starts with =, +, -, @, a tab or a carriage return is a text cell in every export, and reads
back as typed."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from mobilization.spreadsheets import FORMULA_STARTS
from reporting.services import figures_workbook_bytes
from tests.base import WorldTestCase
from tests.factories import make_person

NAMES = [f"{start}SUM(1+1)*cmd|' /C calc'!A0" for start in FORMULA_STARTS]


def cells(content):
    book = load_workbook(io.BytesIO(content))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


class FormulaSafetyTest(WorldTestCase):
    def setUp(self):
        unit = self.world.a.unit
        unit.name = '=HYPERLINK("http://x")'
        unit.save()
        for name in NAMES:
            make_person(unit, name=name)

    def assert_safe(self, content, expected):
        found = cells(content)
        self.assertEqual([c.coordinate for c in found if c.data_type == "f"], [])
        values = {c.value for c in found}
        for value in expected:
            # XML turns a carriage return into a line feed on reading (in any .xlsx, whoever writes it).
            self.assertIn(value.replace("\r", "\n"), values, "the value reads back as typed")

    def test_every_roster_export_holds_text_only(self):
        self.login("office")
        self.client.force_authenticate(self.world.users["office"])
        expected = [*NAMES, '=HYPERLINK("http://x")']
        for url in (reverse("api:person-export"), reverse("admin:members_person_export")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assert_safe(response.content, expected)
        self.login("unit")
        response = self.client.get(reverse("portal:members-export"))
        self.assertEqual(response.status_code, 200)
        self.assert_safe(response.content, expected)

    def test_the_statistics_workbook_holds_text_only(self):
        figures = {
            "region_name": NAMES[0],
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "as_of": "2026-04-01",
            "sections": [
                {"title": "units", "columns": ["name", "n"], "rows": [[n, 1] for n in NAMES], "note": NAMES[1]},
                {"title": NAMES[2][:20], "columns": [NAMES[3]], "rows": [[NAMES[4]], [NAMES[5]]]},
            ],
        }
        self.assert_safe(figures_workbook_bytes(figures), NAMES)
