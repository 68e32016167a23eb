"""The audit trail (GB/T 22239-2019 §8.1.4.3): complete (approvals with their values, role and
schedule changes, bulk paths in one insert), read by the auditor in the admin and the API and
exported without formulas, unchangeable on every path, hash-chained so that a changed or removed
row is found, and archived to signed files past retention."""

import datetime
import io
import json
import tempfile
import threading
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from openpyxl import load_workbook

from members.models import Person
from members.services import roster_change_approve, roster_change_submit
from mobilization.audit.archive import archive_dir, archive_events, retention_days, verify_archives
from mobilization.audit.chain import verify_chain
from mobilization.choices import AuditActionChoices as A
from mobilization.choices import AuditOutcomeChoices, RoleChoices
from mobilization.crypto import decrypt
from mobilization.models import AuditArchive, AuditEvent, UserProfile
from mobilization.models.audit import AuditEventImmutable
from mobilization.services import audit_record, user_assign_role
from tests.base import WorldTestCase
from tests.factories import add_member, make_team, new_id_number

TABLE = AuditEvent._meta.db_table
TRIGGER = "mobilization_auditevent_immutable"


def raw_sql(sql, params=()):
    """Run SQL past the application, as someone with database access would (on PostgreSQL with
    the table's trigger switched off for the statement, as only its owner can)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")


def verify_output():
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue().strip()


class ApprovalInTheTrailTest(WorldTestCase):
    """An approved roster change: the decision, and every person changed with old and new values,
    personal data masked, read by the auditor."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.team = make_team(cls.world.a, name="张店区医疗救护队")
        cls.member = add_member(cls.team, phone="13900002222")

    def submit(self, rows):
        return roster_change_submit(by=self.world.users["unit"], rows=list(enumerate(rows, start=1)), source="api")

    def test_approval_appears_with_old_and_new_values_masked(self):
        new_number = new_id_number()
        change = self.submit(
            [
                {"action": "add", "team": str(self.team.pk), "name": "李娜", "id_number": new_number},
                {"action": "edit", "id_number": decrypt(self.member.id_number_encrypted), "phone": "13700001111"},
            ]
        )
        self.as_role("office")
        response = self.client.post(reverse("api:rosterchange-approve", args=[change.pk]), {}, format="json")
        self.assertEqual(response.status_code, 200, response.content)

        self.as_role("auditor")
        url = reverse("api:auditevent-list")
        decision = self.client.get(url, {"action": "approve", "object_type": "members.rosterchange"}).json()
        self.assertEqual(decision["count"], 1)
        event = decision["results"][0]
        office = self.world.users["office"]
        self.assertEqual(
            (event["username"], event["full_name"], event["role"], event["outcome"], event["ip_address"]),
            (office.username, office.last_name + office.first_name, RoleChoices.OFFICE_STAFF, "success", "127.0.0.1"),
        )
        self.assertEqual(event["object_id"], str(change.pk))
        self.assertEqual(event["changes"], {"status": ["pending", "approved"]})
        self.assertEqual((event["detail"]["added"], event["detail"]["edited"]), (1, 1))

        edited = self.client.get(
            url, {"object_type": "members.Person", "object_id": self.member.pk, "action": "update"}
        ).json()
        self.assertEqual(edited["count"], 1)
        self.assertEqual(edited["results"][0]["changes"], {"phone": ["139****2222", "137****1111"]})
        self.assertEqual(edited["results"][0]["detail"], {"reason": f"roster change #{change.pk}"})

        added = Person.objects.by_id_number(new_number).get()
        created = self.client.get(url, {"object_type": "members.Person", "object_id": added.pk}).json()
        self.assertEqual([e["action"] for e in created["results"]], ["create"])
        values = created["results"][0]["changes"]
        self.assertEqual(values["name"], [None, "李娜"])
        self.assertEqual(values["birth_year"], [None, new_number[6:10]])  # the year only
        self.assertEqual(values["id_number_masked"], [None, f"{new_number[:6]}{'*' * 11}{new_number[17:]}"])
        self.assertEqual(values["id_number_encrypted"], [None, "******"])
        self.assertNotIn("id_number_hash", values)  # a keyed hash follows its encrypted field
        everything = self.client.get(url, {"page_size": 500}).content.decode()
        self.assertNotIn(new_number, everything)
        self.assertNotIn(new_number[6:14], everything)  # the birth date is not rebuilt either
        self.assertNotIn("13700001111", everything)
        self.assertEqual(verify_chain().intact, True)

    def test_bulk_approval_writes_its_events_without_a_query_per_row(self):
        def approve(rows):
            change = self.submit(
                [{"action": "add", "team": str(self.team.pk), "name": f"队员{i}", "id_number": new_id_number()}
                 for i in range(rows)]
            )  # fmt: skip
            before = AuditEvent.objects.count()
            with CaptureQueriesContext(connection) as ctx:
                roster_change_approve(change=change, by=self.world.users["office"])
            return len(ctx.captured_queries), AuditEvent.objects.count() - before

        approve(1)  # warm the per-user caches (the approver's profile)
        small, large = approve(2), approve(9)
        # Each new person and membership is an event (two per row), plus the decision and the
        # request's own change of status.
        self.assertEqual((small[1], large[1]), (2 * 2 + 2, 9 * 2 + 2))
        self.assertEqual(small[0], large[0])


class RoleAndScheduleChangesTest(WorldTestCase):
    def test_a_role_change_reads_in_words_not_codes(self):
        liaison = self.world.users["unit"]
        user_assign_role(username=liaison.username, role=RoleChoices.INSPECTOR, region=self.world.a.township)
        self.login("auditor")
        for object_type, object_id in (
            ("auth.User", liaison.pk),
            ("mobilization.UserProfile", UserProfile.objects.get(user=liaison).pk),
        ):
            event = AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).first()
            page = self.client.get(
                reverse("admin:mobilization_auditevent_change", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
            )
            self.assertContains(page, "网格员")  # the role, as its label
            self.assertNotContains(page, ">inspector<")
        self.assertContains(page, "<th>角色</th>", html=True)  # the field, by its label

    def test_a_users_role_change_appears(self):
        liaison = self.world.users["unit"]
        user_assign_role(username=liaison.username, role=RoleChoices.INSPECTOR, region=self.world.a.township)
        profile = UserProfile.objects.get(user=liaison)
        event = AuditEvent.objects.filter(object_type="mobilization.UserProfile", object_id=str(profile.pk)).first()
        self.assertEqual(event.action, A.ROLE_CHANGE)
        self.assertEqual(event.changes["role"], [RoleChoices.UNIT_LIAISON, RoleChoices.INSPECTOR])
        self.assertEqual(event.changes["member_unit"], [self.world.a.unit.pk, None])
        # Setting the groups removes the old one, then adds the new one: two events, each exact.
        groups = AuditEvent.objects.filter(object_type="auth.User", object_id=str(liaison.pk))[:2]
        self.assertEqual(
            [(e.action, e.changes) for e in reversed(groups)],
            [(A.ROLE_CHANGE, {"groups": [["unit_liaison"], []]}), (A.ROLE_CHANGE, {"groups": [[], ["inspector"]]})],
        )

    def test_account_changes_appear_with_the_password_hidden(self):
        user = self.world.users["liaison"]
        user.set_password("Another-pass-2026")
        user.is_active = False
        user.save()
        # The password change is an event of its own too (the accounts' password_changed hook).
        event = AuditEvent.objects.filter(object_type="auth.User", object_id=str(user.pk), action=A.UPDATE).first()
        self.assertEqual(event.changes, {"is_active": [True, False], "password": ["******", "******"]})
        self.assertTrue(
            AuditEvent.objects.filter(action=A.PASSWORD_CHANGED, object_id=str(user.pk)).exists()
            or AuditEvent.objects.filter(action=A.PASSWORD_CHANGED, user=user).exists()
        )

    def test_a_periodic_task_change_appears_and_a_beat_run_does_not(self):
        self.login("root")
        task = PeriodicTask.objects.get(name="audit: archive events past retention")
        mark = AuditEvent.objects.latest("id").pk
        # A beat run saves its counters: not a change of the schedule.
        task.total_run_count, task.last_run_at = 5, timezone.now()
        task.save()
        task.enabled = False
        task.save()
        crontab = task.crontab
        crontab.hour = "4"
        crontab.save()
        events = list(
            AuditEvent.objects.filter(
                object_type="django_celery_beat.PeriodicTask", object_id=str(task.pk), id__gt=mark
            )
        )
        self.assertEqual([(e.action, e.changes) for e in events], [(A.UPDATE, {"enabled": [True, False]})])
        schedule = AuditEvent.objects.filter(object_type="django_celery_beat.CrontabSchedule").first()
        self.assertEqual((schedule.object_id, schedule.changes), (str(crontab.pk), {"hour": ["3", "4"]}))

    def test_a_schedule_changed_in_the_admin_names_the_superuser_and_address(self):
        self.login("root")
        crontab = CrontabSchedule.objects.create(minute="0", hour="5", timezone="Asia/Shanghai")
        response = self.client.post(
            reverse("admin:django_celery_beat_crontabschedule_change", args=[crontab.pk]),
            {"minute": "30", "hour": "5", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*",
             "timezone": "Asia/Shanghai", "periodictask_set-TOTAL_FORMS": "0", "periodictask_set-INITIAL_FORMS": "0"},
            format="multipart",
            REMOTE_ADDR="10.1.2.3",
        )  # fmt: skip
        self.assertEqual(response.status_code, 302)
        event = AuditEvent.objects.filter(object_type="django_celery_beat.CrontabSchedule").first()
        self.assertEqual(
            (event.action, event.username, event.role, event.ip_address, event.changes),
            (A.UPDATE, "t_root", "superuser", "10.1.2.3", {"minute": ["0", "30"]}),
        )

    def test_a_refused_reveal_and_a_failed_login_are_events_with_their_outcome(self):
        from members.services import person_reveal_id_number

        person = add_member(make_team(self.world.a))
        with self.assertRaises(PermissionError):
            person_reveal_id_number(person=person, by=self.world.users["liaison"])
        refused = AuditEvent.objects.filter(action=A.REVEAL).first()
        self.assertEqual((refused.outcome, refused.username), (AuditOutcomeChoices.REFUSED, "t_liaison"))
        self.client.post(
            reverse("portal:login"), {"username": "t_office", "password": "wrong"}, format="multipart",
            REMOTE_ADDR="10.1.2.4",
        )  # fmt: skip
        failed = AuditEvent.objects.filter(action=A.LOGIN_FAILED).first()
        self.assertEqual(
            (failed.outcome, failed.username, failed.user_id, failed.ip_address),
            ("failure", "t_office", None, "10.1.2.4"),
        )


class NobodyChangesAnEventTest(WorldTestCase):
    def setUp(self):
        self.event = audit_record(action=A.EXPORT, user=self.world.users["office"], detail={"rows": 3})

    def test_not_through_the_model(self):
        self.event.detail = {"rows": 0}
        with self.assertRaises(AuditEventImmutable):
            self.event.save()
        with self.assertRaises(AuditEventImmutable):
            self.event.delete()
        with self.assertRaises(AuditEventImmutable):
            AuditEvent.objects.filter(pk=self.event.pk).update(detail={})
        with self.assertRaises(AuditEventImmutable):
            AuditEvent.objects.filter(pk=self.event.pk).delete()
        with self.assertRaises(AuditEventImmutable), transaction.atomic():
            AuditEvent.objects.bulk_update([self.event], ["detail"])
        with self.assertRaises(AuditEventImmutable):  # nor written around the chain
            AuditEvent.objects.create(action=A.EXPORT, username="forged")
        self.assertEqual(AuditEvent.objects.get(pk=self.event.pk).detail, {"rows": 3})

    def test_not_through_the_api_even_for_a_superuser(self):
        self.as_role("root")
        url = reverse("api:auditevent-detail", args=[self.event.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.patch(url, {"username": "x"}, format="json").status_code, 405)
        self.assertEqual(self.client.put(url, {"username": "x"}, format="json").status_code, 405)
        self.assertEqual(self.client.delete(url).status_code, 405)
        self.assertEqual(self.client.post(reverse("api:auditevent-list"), {}, format="json").status_code, 405)
        self.assertEqual(AuditEvent.objects.get(pk=self.event.pk).username, "t_office")

    def test_not_through_the_admin_even_for_a_superuser(self):
        self.login("root")
        change = reverse("admin:mobilization_auditevent_change", args=[self.event.pk])
        self.assertEqual(self.client.get(change).status_code, 200)  # read-only
        self.assertEqual(self.client.post(change, {"username": "x"}).status_code, 403)
        delete = reverse("admin:mobilization_auditevent_delete", args=[self.event.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertEqual(self.client.get(reverse("admin:mobilization_auditevent_add")).status_code, 403)
        changelist = self.client.get(reverse("admin:mobilization_auditevent_changelist"))
        self.assertEqual(changelist.status_code, 200)
        self.assertNotContains(changelist, 'value="delete_selected"')
        bulk = self.client.post(
            reverse("admin:mobilization_auditevent_changelist"),
            {"action": "delete_selected", "_selected_action": [self.event.pk], "post": "yes"},
        )
        self.assertIn(bulk.status_code, (200, 302))
        self.assertTrue(AuditEvent.objects.filter(pk=self.event.pk, username="t_office").exists())

    def test_not_through_sql_on_postgresql(self):
        if connection.vendor != "postgresql":
            self.skipTest("the trigger is PostgreSQL's")
        from django.db import DatabaseError

        for sql in (f"UPDATE {TABLE} SET username = 'x' WHERE id = %s", f"DELETE FROM {TABLE} WHERE id = %s"):
            with self.subTest(sql=sql), self.assertRaises(DatabaseError), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [self.event.pk])
        # The archiver's door opens for its own transaction only.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL audit.archiving = 'on'")
                cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [self.event.pk])
            self.assertFalse(AuditEvent.objects.filter(pk=self.event.pk).exists())
            transaction.set_rollback(True)
        self.assertTrue(AuditEvent.objects.filter(pk=self.event.pk).exists())


class ChainTest(WorldTestCase):
    def setUp(self):
        self.events = [audit_record(action=A.EXPORT, username=f"user{i}", detail={"rows": i}) for i in range(5)]

    def test_intact_chain_reports_its_length(self):
        count = AuditEvent.objects.count()
        self.assertEqual(verify_output(), f"intact, {count} events")

    def test_a_row_edited_in_the_database_is_found(self):
        target = self.events[2]
        raw_sql(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["改过的", target.pk])
        with self.assertRaisesRegex(CommandError, rf"^broken at event {target.pk}: its content does not match"):
            verify_output()

    def test_a_row_deleted_from_the_middle_is_found(self):
        gone, after = self.events[2], self.events[3]
        raw_sql(f"DELETE FROM {TABLE} WHERE id = %s", [gone.pk])
        report = verify_chain()
        self.assertEqual((report.intact, report.event_id), (False, after.pk))
        self.assertIn(f"does not follow event {self.events[1].pk}", report.problem)
        with self.assertRaisesRegex(CommandError, rf"^broken at event {after.pk}:"):
            verify_output()

    def test_the_last_row_deleted_is_found(self):
        raw_sql(f"DELETE FROM {TABLE} WHERE id = %s", [self.events[-1].pk])
        report = verify_chain(batch_size=2)
        self.assertEqual((report.intact, report.event_id), (False, self.events[-1].pk))

    def test_a_forged_hash_does_not_hide_an_edit(self):
        target = self.events[1]
        raw_sql(f"UPDATE {TABLE} SET username = 'someone', hash = %s WHERE id = %s", ["f" * 64, target.pk])
        self.assertEqual(verify_chain(batch_size=3).event_id, target.pk)


class AuditorReadsTheTrailTest(WorldTestCase):
    def test_the_auditor_opens_the_user_and_the_objects_history_but_no_record(self):
        person = add_member(make_team(self.world.a))
        self.as_role("office")
        self.client.patch(reverse("api:person-detail", args=[person.pk]), {"specialty": "急救"}, format="json")
        self.login("auditor")
        event = AuditEvent.objects.filter(object_type="members.Person", action=A.UPDATE).first()
        page = self.client.get(reverse("admin:mobilization_auditevent_change", args=[event.pk]))
        self.assertEqual(page.status_code, 200)
        user_url = reverse("admin:auth_user_change", args=[self.world.users["office"].pk])
        history_url = (
            reverse("admin:mobilization_auditevent_changelist")
            + f"?object_type=members.Person&amp;object_id={person.pk}"
        )
        self.assertContains(page, f'href="{user_url}"')
        self.assertContains(page, f'href="{history_url}"')
        self.assertContains(page, "急救")
        self.assertEqual(self.client.get(user_url).status_code, 200)
        history = self.client.get(history_url.replace("&amp;", "&"))
        self.assertEqual(history.status_code, 200)
        self.assertEqual(
            [(e.object_type, e.object_id) for e in history.context["cl"].result_list],
            [("members.Person", str(person.pk))] * 2,  # created, then changed
        )
        self.assertEqual(self.client.get(reverse("admin:members_person_changelist")).status_code, 403)

    def test_admin_filters_and_a_flat_query_count(self):
        self.login("auditor")
        url = reverse("admin:mobilization_auditevent_changelist")
        for params in ({"action": "login"}, {"outcome": "failure"}, {"username": "t_office"}, {"q": "t_office"},
                       {"object_type": "auth.User"}, {"created__gte": "2020-01-01 00:00:00+08:00"}):  # fmt: skip
            with self.subTest(params=params):
                self.assertEqual(self.client.get(url, params).status_code, 200)
        counts = []
        for n in (3, 12):
            for i in range(n):
                audit_record(action=A.EXPORT, user=self.world.users["office"], detail={"i": i})
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(url).status_code, 200)
            counts.append(len(ctx.captured_queries))
        self.assertEqual(counts[0], counts[1])

    def test_api_filters(self):
        office = self.world.users["office"]
        mine = audit_record(action=A.EXPORT, user=office, detail={})
        audit_record(action=A.EXPORT, user=self.world.users["unit"], detail={})
        self.as_role("auditor")
        url = reverse("api:auditevent-list")
        today = timezone.localdate().isoformat()
        found = self.client.get(url, {"user": office.pk, "action": "export", "date_from": today, "date_to": today})
        self.assertEqual([row["id"] for row in found.json()["results"]], [mine.pk])
        yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        self.assertEqual(self.client.get(url, {"date_to": yesterday}).json()["count"], 0)
        self.assertEqual(self.client.get(url, {"date_from": "not a date"}).status_code, 400)

    def test_the_change_feed_is_served_from_the_trail(self):
        self.as_role("office")
        unit = self.world.a.unit
        self.client.patch(reverse("api:memberunit-detail", args=[unit.pk]), {"address": "新地址"}, format="json")
        self.as_role("auditor")
        latest = self.client.get(reverse("api:changes"), {"model": "mobilization.memberunit"}).json()["results"][0]
        event = AuditEvent.objects.filter(object_type="mobilization.MemberUnit", action=A.UPDATE).first()
        self.assertEqual(latest["history_id"], event.pk)
        self.assertEqual(latest["changes"]["address"], [unit.address, "新地址"])


class ExportTest(WorldTestCase):
    def test_admin_and_api_exports_hold_no_formula_and_are_audited(self):
        audit_record(action=A.LOGIN_FAILED, username="=cmd|' /C calc'!A0", outcome=AuditOutcomeChoices.FAILURE)
        self.login("auditor")
        for url in (
            reverse("admin:mobilization_auditevent_export") + "?action=login_failed",
            reverse("api:auditevent-export") + "?action=login_failed",
        ):
            with self.subTest(url=url):
                before = AuditEvent.objects.filter(action=A.EXPORT).count()
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                sheet = load_workbook(io.BytesIO(response.content)).active
                rows = list(sheet.iter_rows(min_row=2))
                self.assertEqual(len(rows), 1)
                cell = rows[0][1]
                self.assertEqual((cell.value, cell.data_type), ("=cmd|' /C calc'!A0", "s"))
                self.assertTrue(all(c.data_type != "f" for row in rows for c in row))
                export = AuditEvent.objects.filter(action=A.EXPORT).first()
                self.assertEqual(AuditEvent.objects.filter(action=A.EXPORT).count(), before + 1)
                self.assertEqual((export.username, export.detail["rows"]), ("t_auditor", 1))

    def test_only_the_auditor_exports(self):
        self.as_role("office")
        self.assertEqual(self.client.get(reverse("api:auditevent-export")).status_code, 403)


class RetentionTest(WorldTestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="audit-archive-"))
        self.enterContext(override_settings(AUDIT_ARCHIVE_DIR=self.folder))

    def test_events_past_retention_go_to_a_signed_archive_and_the_chain_still_verifies(self):
        audit_record(action=A.EXPORT, username="old", detail={})
        old = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))
        self.assertEqual(retention_days(), 180)
        self.assertIsNone(archive_events(today=timezone.localdate() + datetime.timedelta(days=179)))

        out = io.StringIO()
        later = (timezone.localdate() + datetime.timedelta(days=181)).isoformat()
        call_command("archive_audit_events", "--today", later, stdout=out)
        archive = AuditArchive.objects.get()
        self.assertEqual(
            (archive.count, archive.first_event_id, archive.last_event_id), (len(old), old[0][0], old[-1][0])
        )
        self.assertEqual(archive.last_hash, old[-1][1])
        self.assertFalse(AuditEvent.objects.filter(id__lte=archive.last_event_id).exists())
        lines = (self.folder / archive.file_name).read_text().splitlines()
        self.assertEqual([json.loads(line)["id"] for line in lines], [pk for pk, _h in old])
        manifest = json.loads((self.folder / f"{archive.file_name}.manifest.json").read_text())
        self.assertEqual(manifest["signature"], archive.signature)
        # The archiving is itself an event, linked to the last archived one.
        event = AuditEvent.objects.get()
        self.assertEqual((event.action, event.prev_hash), (A.ARCHIVE, archive.last_hash))
        self.assertEqual(verify_output(), "intact, 1 events")
        self.assertEqual(verify_archives(), [])

        # A changed archive file is found.
        path = self.folder / archive.file_name
        path.write_text(path.read_text().replace('"old"', '"new"'))
        problems = verify_archives()
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("does not match its manifest", problems[0])
        with self.assertRaisesRegex(CommandError, "1 archive problem|2 archive problem"):
            call_command("verify_audit_chain", "--archives", stdout=io.StringIO(), stderr=io.StringIO())

    @override_settings(AUDIT_RETENTION_DAYS=30)
    def test_retention_is_never_below_180_days(self):
        self.assertEqual(retention_days(), 180)
        self.assertIsNone(archive_events(today=timezone.localdate() + datetime.timedelta(days=100)))
        self.assertEqual(AuditArchive.objects.count(), 0)

    def test_archive_folder_defaults_under_private_media(self):
        with override_settings(AUDIT_ARCHIVE_DIR=""):
            from django.conf import settings

            self.assertEqual(archive_dir(), Path(settings.MEDIA_ROOT) / "private" / "audit-archive")

    def test_a_broken_chain_is_not_archived(self):
        target = audit_record(action=A.EXPORT, username="x", detail={})
        raw_sql(f"UPDATE {TABLE} SET username = 'y' WHERE id = %s", [target.pk])
        with self.assertRaisesRegex(CommandError, f"broken at event {target.pk}"):
            later = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
            call_command("archive_audit_events", "--today", later, stdout=io.StringIO())
        self.assertEqual(AuditArchive.objects.count(), 0)
        self.assertTrue(AuditEvent.objects.filter(pk=target.pk).exists())

    def test_the_beat_has_the_job(self):
        task = PeriodicTask.objects.get(name="audit: archive events past retention")
        self.assertEqual(
            (task.task, task.crontab.hour, task.crontab.minute), ("mobilization.archive_audit_events", "3", "20")
        )


class ConcurrentWritersTest(TransactionTestCase):
    """Two writers at once queue on the chain's head: neither links to the other's predecessor."""

    def test_two_writers_do_not_fork_the_chain(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite has one writer at a time anyway")
        start = threading.Barrier(2)
        failures = []

        def write(name):
            try:
                start.wait()
                for i in range(15):
                    with transaction.atomic():
                        audit_record(action=A.EXPORT, username=name, detail={"i": i})
            except Exception as exc:  # noqa: BLE001  (reported below, in the test's thread)
                failures.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=write, args=(name,)) for name in ("w1", "w2")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(failures, [])
        self.assertEqual(AuditEvent.objects.filter(username__in=["w1", "w2"]).count(), 30)
        prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
        self.assertEqual(len(prev_hashes), len(set(prev_hashes)), "two events link to the same predecessor")
        self.assertTrue(verify_chain().intact)
