"""The read replica router (issue 17, item 7): lists read from the `replica` alias, writes and the
reads after them from the primary.

In tests the `replica` alias mirrors the test database (settings: `TEST: {"MIRROR": "default"}`),
so what it reads is real; the queries each connection ran tell where a request read. It is a
TransactionTestCase: a mirror is another connection and sees only committed rows."""

from django.contrib.auth import get_user_model
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APITransactionTestCase

from mobilization.dbrouter import PIN_COOKIE
from teams.models import TeamCategory
from tests.base import restore_migrated_rows


@override_settings(REPLICA_READS=True)
class ReplicaRoutingTest(APITransactionTestCase):
    databases = {"default", "replica"}

    def setUp(self):
        restore_migrated_rows()
        self.user = get_user_model().objects.create_superuser("root-replica", password="x")
        self.client.force_authenticate(self.user)

    def get(self, url):
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections["replica"]) as replica,
        ):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, response.content)
        return response, len(primary), len(replica)

    def test_a_list_reads_from_the_replica(self):
        response, primary, replica = self.get(reverse("api:teamcategory-list"))
        self.assertGreater(replica, 0)
        self.assertEqual(primary, 0)
        self.assertEqual(response.json()["count"], TeamCategory.objects.count())

    def test_a_detail_reads_from_the_primary(self):
        category = TeamCategory.objects.first()
        _response, primary, replica = self.get(reverse("api:teamcategory-detail", args=[category.pk]))
        self.assertEqual(replica, 0)
        self.assertGreater(primary, 0)

    def test_a_write_and_the_reads_after_it_use_the_primary(self):
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections["replica"]) as replica,
        ):
            created = self.client.post(
                reverse("api:teamcategory-list"), {"code": "replica1", "name": "副本类别", "order": 99}, format="json"
            )
            changed = self.client.patch(
                reverse("api:teamcategory-detail", args=[created.json()["id"]]), {"name": "改过"}, format="json"
            )
        self.assertEqual((created.status_code, changed.status_code), (201, 200), changed.content)
        self.assertEqual(len(replica), 0)
        self.assertGreater(len(primary), 0)
        # The client wrote a moment ago: its next list is read where the write was made.
        self.assertTrue(changed.cookies[PIN_COOKIE].value)
        response, primary, replica = self.get(reverse("api:teamcategory-list") + "?q=replica1")
        self.assertEqual(replica, 0)
        self.assertEqual(response.json()["results"][0]["name"], "改过")
        # Once the pin has gone (its cookie expired), lists read from the replica again.
        del self.client.cookies[PIN_COOKIE]
        _response, primary, replica = self.get(reverse("api:teamcategory-list"))
        self.assertGreater(replica, 0)
        self.assertEqual(primary, 0)

    @override_settings(REPLICA_READS=False)
    def test_without_a_replica_everything_reads_from_the_primary(self):
        _response, primary, replica = self.get(reverse("api:teamcategory-list"))
        self.assertEqual(replica, 0)
        self.assertGreater(primary, 0)

    def test_a_marked_page_reads_from_the_replica(self):
        """The roster export page (`@replica_reads`): its reads go to the replica until its audit
        record is written, and that write goes to the primary."""
        self.client.force_login(self.user)
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections["replica"]) as replica,
        ):
            response = self.client.get(reverse("portal:members-export"))
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertGreater(len(replica), 0)
        self.assertTrue(any(q["sql"].lstrip().upper().startswith("INSERT") for q in primary))
        self.assertFalse(any(q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) for q in replica))
