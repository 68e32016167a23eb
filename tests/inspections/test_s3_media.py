"""Media on S3-compatible object storage (issue 17, item 8): with the S3 backend of
django-storages, an inspection photo uploaded through the API lands in the bucket (re-encoded,
without EXIF) and comes back only through the scoped download, streamed from the storage.

The S3 server is moto's, started on a free local port for this class; skipped only without moto."""

import datetime
import io
import socket

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from inspections.choices import ReportStatusChoices
from inspections.models import InspectionMedia, InspectionReport
from inspections.services import media_purge_orphans
from tests import factories as f
from tests.base import WorldTestCase

try:
    import boto3
    from moto.server import ThreadedMotoServer
except ImportError:  # moto (test requirement) brings boto3 with it
    pytest.skip("moto[server] is not installed", allow_module_level=True)

BUCKET = "mobilization-media"
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class S3MediaTest(WorldTestCase):
    @classmethod
    def setUpClass(cls):
        port = free_port()
        cls.server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        cls.server.start()
        cls.endpoint = f"http://127.0.0.1:{port}"
        cls.s3 = boto3.client(
            "s3",
            endpoint_url=cls.endpoint,
            aws_access_key_id=KEYS["access_key"],
            aws_secret_access_key=KEYS["secret_key"],
            region_name=KEYS["region_name"],
        )
        cls.s3.create_bucket(Bucket=BUCKET)
        storages = {
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": cls.endpoint, "default_acl": "private", **KEYS},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        cls.s3_settings = override_settings(STORAGES=storages)
        cls.s3_settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.s3_settings.disable()
        cls.server.stop()

    def setUp(self):
        # Rows roll back after each test, objects do not: each test starts with an empty bucket.
        for key in self.keys():
            self.s3.delete_object(Bucket=BUCKET, Key=key)

    def keys(self):
        return [item["Key"] for item in self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]

    def upload_photo(self):
        self.as_role("inspector")
        facility = f.make_facility(self.world.a)
        photo = f.jpeg_bytes(exif_gps=True)
        upload = SimpleUploadedFile("gps.jpg", photo, content_type="image/jpeg")
        response = self.client.post(
            reverse("api:inspectionreport-list"), {"facility": facility.pk, "files": [upload]}, format="multipart"
        )
        self.assertEqual(response.status_code, 201, response.content)
        report_id = response.json()["id"]
        # A draft is its author's alone; the office and director see it once it is submitted (the
        # checklist a real submission needs is not what this test is about).
        InspectionReport.objects.filter(pk=report_id).update(status=ReportStatusChoices.SUBMITTED)
        return InspectionMedia.objects.get(report_id=report_id)

    def test_the_storage_is_the_bucket(self):
        self.assertEqual(type(storages["default"]).__name__, "S3Storage")
        self.assertEqual(default_storage.bucket_name, BUCKET)

    def test_an_uploaded_photo_is_in_the_bucket_without_its_exif(self):
        media = self.upload_photo()
        self.assertIn(media.file.name, self.keys())
        body = self.s3.get_object(Bucket=BUCKET, Key=media.file.name)["Body"].read()
        image = Image.open(io.BytesIO(body))
        self.assertEqual(dict(image.getexif()), {})
        self.assertEqual(image.size, (64, 48))
        # Private: the object grants nobody but its owner.
        grants = self.s3.get_object_acl(Bucket=BUCKET, Key=media.file.name)["Grants"]
        self.assertEqual({g["Grantee"].get("URI") for g in grants}, {None})

    def test_the_download_streams_from_the_bucket_in_scope_only(self):
        media = self.upload_photo()
        body = self.s3.get_object(Bucket=BUCKET, Key=media.file.name)["Body"].read()
        url = reverse("api:inspectionmedia-download", args=[media.pk])
        expectations = {"inspector": 200, "director": 200, "office": 200, "unit": 404, "auditor": 404}
        for role, status in expectations.items():
            with self.subTest(role=role):
                self.as_role(role)
                response = self.client.get(url)
                self.assertEqual(response.status_code, status)
                if status == 200:
                    self.assertEqual(b"".join(response.streaming_content), body)
                    self.assertEqual(response["Content-Type"], "image/jpeg")
                    self.assertNotIn(self.endpoint, response.get("Location", ""))
        # The portal's page serves it from the bucket too, a byte range included.
        self.login("office")
        ranged = self.client.get(reverse("portal:inspections-media", args=[media.pk]), HTTP_RANGE="bytes=0-9")
        self.assertEqual((ranged.status_code, b"".join(ranged.streaming_content)), (206, body[:10]))

    def test_a_range_is_read_from_the_bucket(self):
        media = self.upload_photo()
        body = self.s3.get_object(Bucket=BUCKET, Key=media.file.name)["Body"].read()
        response = self.client.get(reverse("api:inspectionmedia-download", args=[media.pk]), HTTP_RANGE="bytes=2-5")
        self.assertEqual(response.status_code, 206)
        self.assertEqual(b"".join(response.streaming_content), body[2:6])

    def test_a_file_missing_from_the_bucket_is_a_404(self):
        media = self.upload_photo()
        self.s3.delete_object(Bucket=BUCKET, Key=media.file.name)
        response = self.client.get(reverse("api:inspectionmedia-download", args=[media.pk]))
        self.assertEqual(response.status_code, 404)

    def test_orphans_are_purged_from_the_bucket(self):
        media = self.upload_photo()
        self.s3.put_object(Bucket=BUCKET, Key="inspections/2020/01/orphan.jpg", Body=b"x")
        removed = media_purge_orphans(now=timezone.now() + datetime.timedelta(days=2))
        self.assertEqual(removed, 1)
        self.assertIn(media.file.name, self.keys())
        self.assertNotIn("inspections/2020/01/orphan.jpg", self.keys())
