"""One word for one thing: the words of the roster template are the words of every page, people
are named under 姓名, codes and English stay off the Chinese pages."""

import datetime

from django.urls import reverse
from django.utils import translation

from members.choices import PhysicalConditionChoices, RosterChangeActionChoices
from members.models import Person
from members.rosterfile import ACTION_VALUES, PHYSICAL_VALUES
from mobilization.models import AuditEvent
from tests.base import WorldTestCase


class WordingTest(WorldTestCase):
    def test_choice_labels_are_the_templates_words(self):
        with translation.override("zh-hans"):
            actions = {str(label): value for value, label in RosterChangeActionChoices.choices}
            self.assertEqual(actions, ACTION_VALUES)
            for value, label in PhysicalConditionChoices.choices:
                self.assertEqual(PHYSICAL_VALUES[str(label)], value)
            self.assertEqual(str(Person._meta.get_field("name").verbose_name), "姓名")

    def test_admin_index_has_no_english_screen_reader_headers(self):
        self.login("office")
        html = self.client.get(reverse("admin:index")).content.decode()
        for english in ("Model name", "Add link", "Change or view list link", "Models in the"):
            self.assertNotIn(english, html)
        self.assertIn("模型名称", html)

    def test_audit_event_title_is_beijing_time(self):
        self.login("auditor")
        event = AuditEvent.objects.order_by("-id").first()
        utc = event.created.astimezone(datetime.UTC)
        beijing = utc + datetime.timedelta(hours=8)
        html = self.client.get(reverse("admin:mobilization_auditevent_change", args=[event.pk])).content.decode()
        self.assertIn(f"{beijing:%Y-%m-%d %H:%M:%S}", html)
        self.assertNotIn(f"{utc:%Y-%m-%d %H:%M:%S}", html)

    def test_an_inspection_checklist_reads_in_words(self):
        from inspections.checklists import checklist_for
        from tests.factories import make_report

        report = make_report(self.world.a, self.world.users["inspector"])
        key, label = checklist_for(report.facility.kind)[0]
        report.checklist = {key: {"result": "defect", "note": "密封条老化"}}
        report.save(update_fields=["checklist"])
        self.login("office")
        html = self.client.get(reverse("admin:inspections_inspectionreport_change", args=[report.pk])).content.decode()
        self.assertIn(f"<td>{label}</td><td>存在问题</td><td>密封条老化</td>", html)
        self.assertNotIn(key, html)
