"""Uploaded files are judged by their content: a script renamed .jpg, an oversized video and a
truncated image are each refused with a clear message and leave nothing stored (no row, no
file); photos lose their EXIF (location); stored files are served only to who may see them."""

import io
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from inspections.models import InspectionMedia, InspectionReport
from tests import factories as f
from tests.base import WorldTestCase

# The first bytes of an ISO base-media MP4 ("ftyp" box), enough for content sniffing.
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


class RefusedUploadTest(WorldTestCase):
    """Table-driven: (name, content, what the message must say)."""

    CASES = [
        ("script renamed .jpg", "evil.jpg", b"#!/bin/sh\nrm -rf / --no-preserve-root\n" * 10, "only photos"),
        ("html renamed .png", "page.png", b"<html><script>alert(1)</script></html>", "only photos"),
        ("truncated image", "cut.jpg", f.jpeg_bytes(size=(400, 300))[:600], "damaged or incomplete"),
        ("oversized video", "big.mp4", MP4_HEAD + b"\x00" * 3000, "at most"),
        ("empty file", "empty.jpg", b"", "empty"),
    ]

    def setUp(self):
        self.facility = f.make_facility(self.world.a, kind="alarm_siren")
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages are asserted in English

    @override_settings(INSPECTIONS_MAX_VIDEO_BYTES=2048)
    def test_each_refused_file_stores_nothing_through_the_api(self):
        self.as_role("inspector")
        for label, name, content, message in self.CASES:
            with self.subTest(label):
                upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
                payload = {"facility": self.facility.pk, "findings": "x", "files": [f.photo_upload(), upload]}
                response = self.client.post(reverse("api:inspectionreport-list"), payload, format="multipart")
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(message, str(response.json()))
                self.assertIn(name, str(response.json()), "the message names the refused file")
                self.assertEqual(InspectionReport.objects.count(), 0)
                self.assertEqual(InspectionMedia.objects.count(), 0)
                self.assertEqual(stored_files(), [])

    @override_settings(INSPECTIONS_MAX_VIDEO_BYTES=2048)
    def test_each_refused_file_stores_nothing_through_the_portal(self):
        self.login("inspector")
        url = reverse("portal:inspections-report-new", args=[self.facility.pk])
        for label, name, content, message in self.CASES:
            with self.subTest(label):
                upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
                response = self.client.post(url, {"findings": "x", "severity": "none", "inspected_on": "2026-11-01",
                                                  "draft": "1", "files": [upload]}, format="multipart", follow=True)  # fmt: skip
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                self.assertEqual(InspectionReport.objects.count(), 0)
                self.assertEqual(stored_files(), [])

    def test_refused_media_added_to_an_existing_report_stores_nothing(self):
        report = f.make_report(self.world.a, self.world.users["inspector"], status="draft", facility=self.facility)
        self.as_role("inspector")
        url = reverse("api:inspectionreport-media", args=[report.pk])
        bad = SimpleUploadedFile("x.jpg", b"MZ\x90\x00" + b"\x00" * 100)
        response = self.client.post(url, {"files": [f.photo_upload(), bad]}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(report.media.count(), 0)
        self.assertEqual(stored_files(), [])

    def test_a_good_video_is_kept_under_a_name_of_our_own(self):
        self.as_role("inspector")
        video = SimpleUploadedFile("../../etc/passwd.mp4", MP4_HEAD + b"\x00" * 500, content_type="text/plain")
        payload = {"facility": self.facility.pk, "files": [video]}
        response = self.client.post(reverse("api:inspectionreport-list"), payload, format="multipart")
        self.assertEqual(response.status_code, 201, response.content)
        media = InspectionMedia.objects.get()
        self.assertEqual((media.kind, media.content_type), ("video", "video/mp4"))
        self.assertNotIn("passwd", media.file.name)
        self.assertRegex(media.file.name, r"^inspections/\d{4}/\d{2}/[0-9a-f]{32}\.mp4$")


class ExifTest(WorldTestCase):
    def test_photos_lose_their_exif_and_location(self):
        original = f.jpeg_bytes(exif_gps=True)
        self.assertIn(0x8825, Image.open(io.BytesIO(original)).getexif(), "the fixture carries a GPS block")
        self.as_role("inspector")
        facility = f.make_facility(self.world.a)
        upload = SimpleUploadedFile("gps.jpg", original, content_type="image/jpeg")
        response = self.client.post(
            reverse("api:inspectionreport-list"), {"facility": facility.pk, "files": [upload]}, format="multipart"
        )
        self.assertEqual(response.status_code, 201, response.content)
        media = InspectionMedia.objects.get()
        with media.file.open("rb") as handle:
            data = handle.read()
        image = Image.open(io.BytesIO(data))
        self.assertEqual(dict(image.getexif()), {})
        self.assertNotIn(b"PhoneMaker", data)
        self.assertEqual(image.size, (64, 48))


class ProtectedDownloadTest(WorldTestCase):
    def test_files_are_served_in_scope_only(self):
        inside = f.make_media(self.world.a, self.world.users["inspector"])
        outside = f.make_media(self.world.b, self.world.users["inspector"])
        expectations = {"inspector": 200, "director": 200, "office": 200, "unit": 404, "auditor": 404}
        for role, status in expectations.items():
            with self.subTest(role=role):
                self.login(role)
                portal = self.client.get(reverse("portal:inspections-media", args=[inside.pk]))
                self.assertEqual(portal.status_code, status)
                self.assertEqual(
                    self.client.get(reverse("portal:inspections-media", args=[outside.pk])).status_code, 404
                )
                self.as_role(role)
                api = self.client.get(reverse("api:inspectionmedia-download", args=[outside.pk]))
                self.assertEqual(api.status_code, 404)
                if status == 200:
                    self.assertEqual(portal["Content-Type"], "image/jpeg")
                    self.assertIn("private", portal["Cache-Control"])
                    self.assertEqual(
                        self.client.get(reverse("api:inspectionmedia-download", args=[inside.pk])).status_code, 200
                    )

    def test_evidence_is_served_in_scope_only(self):
        inside = f.make_evidence(self.world.a, self.world.users["director"])
        outside = f.make_evidence(self.world.b, self.world.users["director"])
        self.login("director")
        self.assertEqual(self.client.get(reverse("portal:inspections-evidence", args=[inside.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("portal:inspections-evidence", args=[outside.pk])).status_code, 404)
        # The inspector reads the evidence of orders in their grid (the orders their reports led to), no further.
        self.login("inspector")
        self.assertEqual(self.client.get(reverse("portal:inspections-evidence", args=[inside.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("portal:inspections-evidence", args=[outside.pk])).status_code, 404)
        self.login("unit")
        self.assertEqual(self.client.get(reverse("portal:inspections-evidence", args=[inside.pk])).status_code, 404)

    def test_media_is_not_routed_publicly(self):
        media = f.make_media(self.world.a, self.world.users["inspector"])
        self.client.logout()
        self.assertEqual(self.client.get(settings.MEDIA_URL + media.file.name).status_code, 404)
        self.assertIn(self.client.get(reverse("portal:inspections-media", args=[media.pk])).status_code, (302, 404))


class DraftDeletionTest(WorldTestCase):
    def test_deleting_a_draft_removes_its_files_once_committed(self):
        self.as_role("inspector")
        facility = f.make_facility(self.world.a)
        payload = {"facility": facility.pk, "files": [f.photo_upload()]}
        report_id = self.client.post(reverse("api:inspectionreport-list"), payload, format="multipart").json()["id"]
        self.assertEqual(len(stored_files()), 1)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.delete(reverse("api:inspectionreport-detail", args=[report_id]))
        self.assertEqual(response.status_code, 204)
        self.assertEqual(stored_files(), [])


class OrphanPurgeTest(WorldTestCase):
    def test_files_without_a_row_are_purged_after_a_day(self):
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage
        from django.core.management import call_command

        kept = f.make_media(self.world.a, self.world.users["inspector"])
        orphan = default_storage.save("inspections/2026/01/" + "0" * 32 + ".jpg", ContentFile(f.jpeg_bytes()))
        out = io.StringIO()
        call_command("purge_orphan_media", stdout=out)
        self.assertIn("removed: 0", out.getvalue(), "a fresh file may still be on its way to a row")
        tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
        call_command("purge_orphan_media", today=tomorrow, stdout=out)
        self.assertIn("removed: 1", out.getvalue())
        self.assertFalse(default_storage.exists(orphan))
        self.assertTrue(default_storage.exists(kept.file.name))


class RangeTest(WorldTestCase):
    """Phones play and seek videos through range requests: one range is answered 206."""

    def setUp(self):
        self.media = f.make_media(self.world.a, self.world.users["inspector"])
        self.data = f.jpeg_bytes()
        self.url = reverse("portal:inspections-media", args=[self.media.pk])
        self.login("inspector")

    def get(self, header=None, url=None):
        extra = {"HTTP_RANGE": header} if header is not None else {}
        return self.client.get(url or self.url, **extra)

    def test_ranges(self):
        size = len(self.data)
        table = [
            # (Range header, status, Content-Range, body)
            (None, 200, None, self.data),
            ("bytes=0-9", 206, f"bytes 0-9/{size}", self.data[:10]),
            ("bytes=10-", 206, f"bytes 10-{size - 1}/{size}", self.data[10:]),
            ("bytes=-4", 206, f"bytes {size - 4}-{size - 1}/{size}", self.data[-4:]),
            (f"bytes=5-{size + 100}", 206, f"bytes 5-{size - 1}/{size}", self.data[5:]),
            (f"bytes=-{size + 100}", 206, f"bytes 0-{size - 1}/{size}", self.data),
            (f"bytes={size}-", 416, f"bytes */{size}", b""),
            ("bytes=-0", 416, f"bytes */{size}", b""),
            ("bytes=9-3", 200, None, self.data),  # not a valid range: the whole file
            ("bytes=0-1,4-5", 200, None, self.data),  # several ranges: the whole file
            ("items=0-1", 200, None, self.data),
        ]
        for header, status, content_range, body in table:
            with self.subTest(range=header):
                response = self.get(header)
                self.assertEqual(response.status_code, status)
                self.assertEqual(response["Accept-Ranges"], "bytes")
                self.assertEqual(response.get("Content-Range"), content_range)
                content = b"".join(response.streaming_content) if response.streaming else response.content
                self.assertEqual(content, body)
                if status == 206:
                    self.assertEqual(int(response["Content-Length"]), len(body))
                    self.assertEqual(response["Content-Type"], "image/jpeg")
                    self.assertIn("private", response["Cache-Control"])

    def test_a_range_is_served_only_after_the_visibility_check(self):
        outside = f.make_media(self.world.b, self.world.users["inspector"])
        url = reverse("portal:inspections-media", args=[outside.pk])
        self.assertEqual(self.get("bytes=0-9", url).status_code, 404)
        self.login("unit")
        self.assertEqual(self.get("bytes=0-9").status_code, 404)

    def test_the_api_download_answers_ranges_too(self):
        self.as_role("inspector")
        response = self.client.get(
            reverse("api:inspectionmedia-download", args=[self.media.pk]), HTTP_RANGE="bytes=0-1"
        )
        self.assertEqual(response.status_code, 206)
        self.assertEqual(b"".join(response.streaming_content), self.data[:2])
