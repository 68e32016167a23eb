"""Qualification validity: expiry warnings 30 days ahead, each exactly once, to the holder's liaison
and office; the audited bulk extension of a kind; the beat schedule; the scoped roster export."""

import io
from datetime import date, timedelta

from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Membership, Qualification
from members.services import qualification_kind_extend, qualifications_warn_expiring
from members.tasks import warn_expiring_qualifications
from mobilization.models import AuditEvent, Notification
from tests.base import WorldTestCase
from tests.factories import make_kind, make_person, make_team

TODAY = date(2026, 3, 1)


class ExpiryWarningTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kind = make_kind()
        a, b = cls.world.a, cls.world.b

        def qualification(unit, expires):
            return Qualification.objects.create(
                person=make_person(unit), kind=cls.kind, issued=date(2020, 1, 1), expires=expires
            )

        cls.soon = qualification(a.child_unit, TODAY + timedelta(days=30))
        cls.later = qualification(a.child_unit, TODAY + timedelta(days=31))
        cls.lapsed = qualification(a.child_unit, TODAY - timedelta(days=1))
        cls.lifelong = qualification(a.child_unit, None)
        cls.other_side = qualification(b.unit, TODAY + timedelta(days=5))

    def warned(self):
        return set(Notification.objects.filter(kind="qualification_expiry").values_list("recipient__username", "key"))

    def test_each_warning_is_sent_exactly_once(self):
        qualifications_warn_expiring(today=TODAY)
        first = self.warned()
        key = f"members:qualification-expiry:{self.soon.pk}:{self.soon.expires.isoformat()}"
        # The unit's liaison (the holder works for a unit it manages) and the offices over its region.
        self.assertEqual({u for u, k in first if k == key}, {"t_unit", "t_office", "t_city_office"})
        self.assertNotIn(self.later.pk, {int(k.split(":")[2]) for _u, k in first})
        self.assertNotIn(self.lapsed.pk, {int(k.split(":")[2]) for _u, k in first})
        self.assertNotIn("t_liaison", {u for u, _k in first})
        count = Notification.objects.count()
        qualifications_warn_expiring(today=TODAY)  # the same day again (a retried beat run)
        self.assertEqual(Notification.objects.count(), count)
        qualifications_warn_expiring(today=TODAY + timedelta(days=1))  # the next day: only `later` is new
        new = self.warned() - first
        self.assertEqual({int(k.split(":")[2]) for _u, k in new}, {self.later.pk})

    def test_the_liaison_of_the_unit_running_the_holders_team_is_warned_once_too(self):
        # Employed by the transport bureau, serving in a team the health bureau runs: the health
        # bureau's liaison answers for that team, though it does not manage the employer.
        team = make_team(self.world.a, unit=self.world.a.unit)
        holder = make_person(self.world.a.other_unit)
        Membership.objects.create(person=holder, team=team, joined=date(2020, 1, 1))
        q = Qualification.objects.create(
            person=holder, kind=self.kind, issued=date(2020, 1, 1), expires=TODAY + timedelta(days=10)
        )
        key = f"members:qualification-expiry:{q.pk}:{q.expires.isoformat()}"
        qualifications_warn_expiring(today=TODAY)
        qualifications_warn_expiring(today=TODAY)
        warned = Notification.objects.filter(key=key)
        self.assertEqual(
            sorted(warned.values_list("recipient__username", flat=True)), ["t_city_office", "t_office", "t_unit"]
        )

    def test_the_task_and_the_command_act_on_the_given_day(self):
        warn_expiring_qualifications.apply(args=[TODAY.isoformat()])  # run here, whatever the broker
        # `soon`, to the holder's unit liaison and the two offices over its region (side B has no users).
        self.assertEqual(Notification.objects.count(), 3)
        call_command("warn_expiring_qualifications", today=TODAY.isoformat(), stdout=io.StringIO())
        self.assertEqual(Notification.objects.count(), 3)
        call_command(
            "warn_expiring_qualifications", today=(TODAY + timedelta(days=1)).isoformat(), stdout=io.StringIO()
        )
        self.assertEqual(Notification.objects.count(), 6)  # now `later` is within 30 days, to the same three

    def test_an_extended_expiry_is_warned_again_when_it_comes_near(self):
        qualifications_warn_expiring(today=TODAY)
        Qualification.objects.filter(pk=self.soon.pk).update(expires=TODAY + timedelta(days=400))
        before = Notification.objects.count()
        qualifications_warn_expiring(today=TODAY + timedelta(days=380))
        self.assertEqual(Notification.objects.count(), before + 3)

    def test_the_task_is_on_the_beat_schedule(self):
        config = apps.get_app_config("members")
        self.assertIn("members.warn_expiring_qualifications", [task for _n, task, _s in config.periodic_tasks])


class ExtensionTest(WorldTestCase):
    def test_extension_moves_valid_qualifications_in_scope_and_is_audited(self):
        kind = make_kind()
        today = date(2026, 3, 1)
        mine = Qualification.objects.create(
            person=make_person(self.world.a.unit), kind=kind, issued=date(2020, 1, 1), expires=date(2026, 3, 20)
        )
        lapsed = Qualification.objects.create(
            person=make_person(self.world.a.unit), kind=kind, issued=date(2020, 1, 1), expires=date(2026, 2, 1)
        )
        theirs = Qualification.objects.create(
            person=make_person(self.world.b.unit), kind=kind, issued=date(2020, 1, 1), expires=date(2026, 3, 20)
        )
        office = self.world.users["office"]
        n = qualification_kind_extend(kind=kind, by=office, reason="监管部门通知延期", months=6, today=today)
        self.assertEqual(n, 1)
        self.assertEqual(Qualification.objects.get(pk=mine.pk).expires, date(2026, 9, 20))
        self.assertEqual(Qualification.objects.get(pk=lapsed.pk).expires, date(2026, 2, 1))
        self.assertEqual(Qualification.objects.get(pk=theirs.pk).expires, date(2026, 3, 20))
        event = AuditEvent.objects.get(action="bulk_change")
        self.assertEqual((event.user, event.object_id, event.detail["extended"]), (office, str(kind.pk), 1))
        history = Qualification.objects.get(pk=mine.pk).history.first()
        self.assertIn("监管部门通知延期", history.history_change_reason)

    def test_api_extend_needs_change_permission(self):
        kind = make_kind()
        url = reverse("api:qualificationkind-extend", args=[kind.pk])
        self.as_role("liaison")
        self.assertEqual(self.client.post(url, {"months": 3, "reason": "x"}, format="json").status_code, 403)
        self.as_role("office")
        response = self.client.post(url, {"months": 3, "reason": "通知"}, format="json")
        self.assertEqual(response.json(), {"extended": 0})
        self.assertEqual(self.client.post(url, {"reason": "通知"}, format="json").status_code, 400)


class ExportTest(WorldTestCase):
    def test_export_holds_only_the_requesters_roster_with_masked_ids(self):
        mine = make_person(self.world.a.child_unit, id_number="370303199001010017", phone="13812341234")
        theirs = make_person(self.world.b.unit)
        for role, phone in (("unit", "13812341234"), ("liaison", "138****1234")):
            with self.subTest(role=role):
                self.login(role)
                response = self.client.get(reverse("portal:members-export"))
                rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
                names = [r[0] for r in rows[1:]]
                self.assertIn(mine.name, names)
                self.assertNotIn(theirs.name, names)
                row = rows[1 + names.index(mine.name)]
                self.assertEqual((row[1], row[4]), ("370303***********7", phone))
        self.assertEqual(AuditEvent.objects.filter(action="export").count(), 2)
