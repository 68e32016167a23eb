"""The command log is append-only for everyone, superusers included: the model, its queryset,
the admin and the API all refuse to change or delete an entry; a correction is a new entry.
Its export is signed with HMAC-SM3 and verifies only unchanged."""

import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from command.models import LogEntry
from command.querysets import AppendOnlyError
from mobilization.choices import AuditActionChoices
from mobilization.models import AuditEvent
from tests import factories as f
from tests.base import WorldTestCase


def admin_url(entry, view="change"):
    return reverse(f"admin:command_logentry_{view}", args=[entry.pk])


class AppendOnlyTest(WorldTestCase):
    def setUp(self):
        self.entry = f.make_log_entry(self.world.a, self.world.users["office"], text="命令：一号队集结")

    def test_the_model_refuses_a_second_save_and_any_delete(self):
        self.entry.text = "改写"
        with self.assertRaises(AppendOnlyError):
            self.entry.save()
        with self.assertRaises(AppendOnlyError):
            self.entry.delete()
        with self.assertRaises(AppendOnlyError):
            LogEntry.objects.filter(pk=self.entry.pk).update(text="改写")
        with self.assertRaises(AppendOnlyError):
            LogEntry.objects.filter(pk=self.entry.pk).delete()
        self.assertEqual(LogEntry.objects.get(pk=self.entry.pk).text, "命令：一号队集结")

    def test_the_admin_refuses_change_and_delete_to_a_superuser(self):
        for role in ("root", "office"):
            with self.subTest(role=role):
                self.login(role)
                page = self.client.get(admin_url(self.entry))
                self.assertEqual(page.status_code, 200)  # read-only view
                self.assertNotContains(page, 'name="_save"')
                posted = self.client.post(
                    admin_url(self.entry), {"post": self.entry.post_id, "kind": "note", "text": "改写"}
                )
                self.assertEqual(posted.status_code, 403)
                self.assertEqual(self.client.get(admin_url(self.entry, "delete")).status_code, 403)
                self.assertEqual(
                    self.client.post(admin_url(self.entry, "delete"), {"post": "yes"}, format="multipart").status_code,
                    403,
                )
                changelist = reverse("admin:command_logentry_changelist")
                bulk = {"action": "delete_selected", "_selected_action": [self.entry.pk], "post": "yes"}
                self.client.post(changelist, bulk, format="multipart")
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.text, "命令：一号队集结")

    def test_the_admin_appends_through_the_service(self):
        self.login("root")
        response = self.client.post(
            reverse("admin:command_logentry_add"),
            {"post": self.entry.post_id, "kind": "note", "text": "更正：集结地点改为体育场", "corrects": self.entry.pk},
            format="multipart",
        )
        self.assertEqual(response.status_code, 302, response.content)
        correction = LogEntry.objects.get(corrects=self.entry)
        self.assertEqual((correction.author, correction.text), (self.world.superuser, "更正：集结地点改为体育场"))
        self.assertTrue(
            AuditEvent.objects.filter(action=AuditActionChoices.CREATE, object_id=str(correction.pk)).exists()
        )

    def test_a_correction_refers_to_an_entry_of_the_same_log(self):
        other = f.make_log_entry(self.world.a, self.world.users["office"])
        self.as_role("office")
        response = self.client.post(
            reverse("api:logentry-list"),
            {"post": self.entry.post_id, "kind": "note", "text": "更正", "corrects": other.pk},
            format="json",
        )
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("corrects", response.json())


class SignedExportTest(WorldTestCase):
    def test_export_verifies_and_a_changed_file_does_not(self):
        entry = f.make_log_entry(self.world.a, self.world.users["office"], text='=HYPERLINK("x")')
        self.as_role("liaison")
        response = self.client.get(reverse("api:commandpost-detail", args=[entry.post_id]) + "log-export/")
        self.assertEqual(response.status_code, 200)
        signature = response["X-Signature"]
        self.assertRegex(signature, r"^v\d+:[0-9a-f]{64}$")
        data = response.content
        verify = reverse("api:commandpost-verify-log")
        for body, expected in ((data, True), (data[:-1] + bytes([data[-1] ^ 1]), False)):
            answer = self.client.post(
                verify, {"file": SimpleUploadedFile("log.xlsx", body), "signature": signature}, format="multipart"
            )
            self.assertEqual(answer.status_code, 200, answer.content)
            self.assertEqual(answer.json(), {"valid": expected})
        self.assertTrue(
            AuditEvent.objects.filter(action=AuditActionChoices.EXPORT, object_id=str(entry.post_id)).exists()
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "log.xlsx"
            path.write_bytes(data)
            call_command("verify_command_log", str(path), signature)
            path.write_bytes(data + b"\0")
            with self.assertRaises(CommandError):
                call_command("verify_command_log", str(path), signature)

    def test_the_export_of_a_post_beyond_scope_is_not_found(self):
        entry = f.make_log_entry(self.world.b, self.world.users["office"])
        self.as_role("liaison")
        response = self.client.get(reverse("api:commandpost-detail", args=[entry.post_id]) + "log-export/")
        self.assertEqual(response.status_code, 404)
