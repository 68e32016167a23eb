"""The admin: change pages open in scope (404 beyond it), media is linked through the protected
portal URL only, and a new order from the admin goes through the service."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from inspections.models import PotentialVerification, Rectification
from tests import factories as f
from tests.base import WorldTestCase


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
            verification = f.verify(f.make_warehouse(s), verified_on=timezone.localdate())
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


class VerificationAdminTest(WorldTestCase):
    """The admin records what the verifiers found, line by line, and keeps the warehouse fixed."""

    def setUp(self):
        self.warehouse = f.make_warehouse(self.world.a)
        self.tents = self.warehouse.stocks.get(material_type="帐篷")
        self.generators = self.warehouse.stocks.get(material_type="发电机")
        self.url = reverse("admin:inspections_potentialverification_add")
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.login("office")

    def post(self, **rows):
        data = {
            "facility": self.warehouse.pk,
            "verified_on": timezone.localdate().isoformat(),
            "location_matches": "on",
            "discrepancies": "",
            **rows,
        }
        return self.client.post(self.url, data, format="multipart")

    def test_a_row_per_declared_stock_line_without_a_default_quantity(self):
        page = self.client.get(self.url + f"?facility={self.warehouse.pk}").content.decode()
        for stock in (self.tents, self.generators):
            self.assertIn(f'name="found_{stock.pk}_quantity"', page)
        # Chosen and saved without figures: the rows appear, required, and nothing is recorded.
        response = self.post()
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'name="found_{self.tents.pk}_quantity"', response.content.decode())
        self.assertFalse(PotentialVerification.objects.exists())

    def test_the_figures_found_are_recorded(self):
        response = self.post(
            **{
                f"found_{self.tents.pk}_type": "帐篷",
                f"found_{self.tents.pk}_quantity": "80",
                f"found_{self.generators.pk}_type": "发电机",
                f"found_{self.generators.pk}_quantity": "5",
                f"found_{self.generators.pk}_note": "状态良好",
            }
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        verification = PotentialVerification.objects.get()
        self.assertEqual((verification.types_match, verification.quantities_match), (True, False))
        self.assertEqual(verification.verified_by, self.world.users["office"])
        lines = {line.stock_id: line for line in verification.lines.all()}
        self.assertEqual((lines[self.tents.pk].verified_quantity, lines[self.tents.pk].matches), (80, False))
        self.assertEqual(lines[self.generators.pk].note, "状态良好")
        # Afterwards the warehouse is fixed: the change page shows it read-only.
        page = self.client.get(change_url(verification)).content.decode()
        self.assertNotIn('name="facility"', page)

    def test_a_warehouse_beyond_scope_gives_no_rows_and_records_nothing(self):
        outside = f.make_warehouse(self.world.b)
        stock = outside.stocks.first()
        page = self.client.get(self.url + f"?facility={outside.pk}").content.decode()
        self.assertNotIn(f'name="found_{stock.pk}_quantity"', page)
        data = {
            "facility": outside.pk,
            "verified_on": timezone.localdate().isoformat(),
            "location_matches": "on",
            **{f"found_{s.pk}_type": s.material_type for s in outside.stocks.all()},
            **{f"found_{s.pk}_quantity": "1" for s in outside.stocks.all()},
        }
        response = self.client.post(self.url, data, format="multipart")
        self.assertEqual(response.status_code, 200)
        self.assertIn("facility", response.context["adminform"].form.errors)
        self.assertFalse(PotentialVerification.objects.exists())

    def test_a_role_that_only_reads_verifications_cannot_add_one(self):
        self.login("director")
        self.assertEqual(self.client.get(self.url + f"?facility={self.warehouse.pk}").status_code, 403)
        self.assertEqual(self.post().status_code, 403)
        self.assertFalse(PotentialVerification.objects.exists())


class ServiceRefusalAdminTest(WorldTestCase):
    def test_a_past_deadline_comes_back_as_a_message_and_changes_nothing(self):
        deadline = timezone.localdate() + timedelta(days=10)
        order = f.make_order(self.world.a, self.world.users["director"], deadline=deadline)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.login("office")
        data = {
            "requirement": "改写的要求",
            "deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        }
        response = self.client.post(change_url(order), data, format="multipart", follow=True)
        self.assertEqual(response.redirect_chain, [(change_url(order), 302)])
        self.assertContains(response, "cannot be in the past")
        order.refresh_from_db()
        self.assertEqual((order.requirement, order.deadline), ("更换密封条", deadline))
