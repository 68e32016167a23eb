"""The admin: change pages open in scope (404 beyond it), media is linked through the protected
portal URL only, and a new order from the admin goes through the service."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from inspections.models import Rectification
from inspections.services import potential_verification_record
from tests.base import WorldTestCase

from . import factories as f


def change_url(obj):
    return reverse(f"admin:inspections_{obj._meta.model_name}_change", args=[obj.pk])


class AdminTest(WorldTestCase):
    def test_change_pages_in_scope_and_404_beyond(self):
        inspector = self.world.users["inspector"]
        objects = {}
        for side in ("a", "b"):
            s = getattr(self.world, side)
            media = f.make_media(s, inspector)
            evidence = f.make_evidence(s, inspector)
            verification = potential_verification_record(facility=f.make_warehouse(s), verified_on=timezone.localdate())
            objects[side] = [media.report.facility, media.report, media, evidence.rectification, evidence,
                             verification, verification.lines.first(), f.make_evaluation(s)]  # fmt: skip
        self.login("office")
        for inside, outside in zip(objects["a"], objects["b"], strict=True):
            with self.subTest(model=type(inside).__name__):
                self.assertEqual(self.client.get(change_url(inside)).status_code, 200)
                self.assertEqual(self.client.get(change_url(outside)).status_code, 404)
        page = self.client.get(change_url(objects["a"][1])).content.decode()
        self.assertIn(reverse("portal:inspections-media", args=[objects["a"][2].pk]), page)
        self.assertNotIn(settings.MEDIA_URL + "inspections/", page)

    def test_an_order_from_the_admin_goes_through_the_service(self):
        report = f.make_report(self.world.a, self.world.users["inspector"])
        self.login("office")
        deadline = timezone.localdate() + timedelta(days=10)
        response = self.client.post(
            reverse("admin:inspections_rectification_add"),
            {
                "report": report.pk,
                "facility": report.facility.pk,
                "requirement": "整改",
                "deadline": deadline.isoformat(),
                "evidence-TOTAL_FORMS": "0",
                "evidence-INITIAL_FORMS": "0",
            },
            format="multipart",
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        order = Rectification.objects.get()
        report.refresh_from_db()
        self.assertEqual((order.issued_by, order.responsible_party), (self.world.users["office"], "某物业管理有限公司"))
        self.assertEqual(report.status, "reviewed")
