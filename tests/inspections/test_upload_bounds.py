"""Bounded uploads (issue 10): a photo's pixel count is refused from its header before any
decoding, files and bytes per request are bounded, each with a clear message on `files` in
the user's language; the same rules hold for rectification evidence."""

import io
import struct
import zlib

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from inspections.models import InspectionMedia, InspectionReport, RectificationEvidence
from inspections.services import rectification_complete
from tests import factories as f
from tests.base import WorldTestCase


def png_declaring(width, height):
    """A PNG whose header declares width x height RGB pixels (the bomb: a few hundred bytes on disk)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 100_000, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


class UploadBoundsTest(WorldTestCase):
    def setUp(self):
        self.facility = f.make_facility(self.world.a)
        self.as_role("inspector")

    def post(self, files, language="en"):
        return self.client.post(
            reverse("api:inspectionreport-list"),
            {"facility": self.facility.pk, "files": files},
            format="multipart",
            HTTP_ACCEPT_LANGUAGE=language,
        )

    def test_the_13000_square_png_is_refused_from_its_header(self):
        bomb = SimpleUploadedFile("bomb.png", png_declaring(13_000, 13_000), content_type="image/png")
        response = self.post([bomb])  # the refusal is asserted; its time (well under 1 s) is in the report
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(
            response.json()["files"],
            ["bomb.png: the photo is 13000 × 13000 pixels; at most 40 megapixels are accepted."],
        )
        self.assertEqual((InspectionReport.objects.count(), InspectionMedia.objects.count()), (0, 0))

    def test_the_refusal_is_in_the_users_language(self):
        bomb = SimpleUploadedFile("bomb.png", png_declaring(13_000, 13_000), content_type="image/png")
        response = self.post([bomb], language="zh-hans")
        self.assertEqual(response.status_code, 400)
        self.assertIn("像素", response.json()["files"][0])

    @override_settings(UPLOAD_MAX_PIXELS=64 * 48)
    def test_the_limit_is_a_setting_and_inclusive(self):
        self.assertEqual(self.post([f.photo_upload(size=(64, 48))]).status_code, 201)
        response = self.post([f.photo_upload(size=(65, 48))])
        self.assertEqual(response.status_code, 400)
        self.assertIn("65 × 48 pixels", response.json()["files"][0])

    @override_settings(UPLOAD_MAX_FILES=3)
    def test_files_per_request_are_bounded(self):
        response = self.post([f.photo_upload(name=f"{i}.jpg") for i in range(4)])
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["files"], ["At most 3 files at a time."])
        self.assertEqual(self.post([f.photo_upload(name=f"{i}.jpg") for i in range(3)]).status_code, 201)

    def test_bytes_per_request_are_bounded(self):
        photos = [f.photo_upload(name=f"{i}.jpg") for i in range(2)]
        with override_settings(UPLOAD_MAX_REQUEST_BYTES=photos[0].size + photos[1].size - 1):
            response = self.post(photos)
        self.assertEqual(response.status_code, 400)
        self.assertIn("at most", response.json()["files"][0])
        self.assertEqual(InspectionMedia.objects.count(), 0)

    def test_rectification_evidence_follows_the_same_rules(self):
        order = f.make_order(self.world.a, self.world.users["director"])
        bomb = SimpleUploadedFile("after.png", png_declaring(13_000, 13_000), content_type="image/png")
        with self.assertRaises(ValidationError) as ctx:
            rectification_complete(order=order, by=self.world.users["director"], files=[bomb])
        self.assertIn("files", ctx.exception.message_dict)
        self.assertEqual(RectificationEvidence.objects.count(), 0)

    def test_an_accepted_photo_keeps_only_its_orientation(self):
        image, out = Image.new("RGB", (64, 48)), io.BytesIO()
        exif = Image.Exif()
        exif[0x0112] = 6  # rotated: shown upright by turning it 90°
        exif[0x010F] = "PhoneMaker"
        image.save(out, format="JPEG", exif=exif)
        response = self.post([SimpleUploadedFile("turned.jpg", out.getvalue(), content_type="image/jpeg")])
        self.assertEqual(response.status_code, 201, response.content)
        with InspectionMedia.objects.get().file.open("rb") as handle:
            stored = Image.open(io.BytesIO(handle.read()))
            self.assertEqual(dict(stored.getexif()), {0x0112: 6})
