"""The work queue: what waits for each role, counted in scope, with links, on the admin index and
the portal home; the office hears of a roster change as soon as a unit submits it."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from inspections.choices import RectificationStatusChoices
from inspections.models import Rectification
from mobilization.choices import NotificationKindChoices
from mobilization.models import Notification
from mobilization.workqueue import registry, work_queue
from tests.base import WorldTestCase
from tests.factories import make_change, make_order

User = get_user_model()


def counts(queue):
    return {item["key"]: item["count"] for item in queue}


class WorkQueueTest(WorldTestCase):
    def fresh(self, role):
        # A user read again: nothing of an earlier request (permissions, profile) is cached.
        return User.objects.get(pk=self.world.users[role].pk)

    def test_every_app_declares_its_items(self):
        keys = [item.key for item in registry.items()]
        for key in (
            "roster_changes_to_decide",
            "inspection_reports_to_review",
            "rectifications_due",
            "rectifications_overdue",
            "exercises_coming",
            "alarm_drills_coming",
            "qualifications_expiring",
            "statistics_reports_to_review",
        ):
            self.assertIn(key, keys)

    def test_roster_change_counted_in_scope_and_linked(self):
        make_change(self.world.users["unit"], self.world.a)
        make_change(self.world.superuser, self.world.b)  # another city: not the office's
        queue = work_queue(self.fresh("office"))
        self.assertEqual(counts(queue)["roster_changes_to_decide"], 1)
        item = next(i for i in queue if i["key"] == "roster_changes_to_decide")
        self.assertEqual(item["url"], reverse("admin:members_rosterchange_changelist") + "?status__exact=pending")
        self.assertEqual(item["tone"], "due")
        self.assertNotIn("roster_changes_to_decide", counts(work_queue(self.fresh("unit"), place="portal")))
        self.assertEqual(counts(work_queue(self.fresh("unit"), place="portal"))["roster_changes_waiting"], 1)

    def test_the_office_is_told_of_a_submitted_change(self):
        change = make_change(self.world.users["unit"], self.world.a)
        note = Notification.objects.get(kind=NotificationKindChoices.ROSTER_CHANGE)
        # The unit works in the district: its office decides, not the city's.
        self.assertEqual(note.recipient, self.world.users["office"])
        self.assertEqual(note.url, reverse("admin:members_rosterchange_change", args=[change.pk]))
        self.assertIn(f"#{change.pk}", note.title)

    def test_a_unit_with_no_district_staff_tells_the_city(self):
        self.world.users["office"].is_active = False
        self.world.users["office"].save(update_fields=["is_active"])
        make_change(self.world.superuser, self.world.a)
        recipients = set(
            Notification.objects.filter(kind=NotificationKindChoices.ROSTER_CHANGE).values_list("recipient", flat=True)
        )
        self.assertEqual(recipients, {self.world.users["city_office"].pk})

    def test_orders_due_and_overdue(self):
        today = timezone.localdate()
        inspector = self.world.users["inspector"]
        make_order(self.world.a, inspector, deadline=today + datetime.timedelta(days=3))
        make_order(self.world.a, inspector, deadline=today + datetime.timedelta(days=20))
        late = make_order(self.world.a, inspector, deadline=today - datetime.timedelta(days=2))
        Rectification.objects.filter(pk=late.pk).update(status=RectificationStatusChoices.OVERDUE)
        found = counts(work_queue(self.fresh("director"), place="portal"))
        self.assertEqual((found["rectifications_due"], found["rectifications_overdue"]), (1, 1))

    def test_query_count_is_one_per_item_whatever_the_rows(self):
        user = self.fresh("office")
        work_queue(user)  # permissions and profile loaded once per user object
        shown = len(work_queue(user))
        with self.assertNumQueries(shown):
            work_queue(user)
        for _ in range(3):
            make_change(self.world.users["unit"], self.world.a)
        with self.assertNumQueries(shown):
            self.assertEqual(counts(work_queue(user))["roster_changes_to_decide"], 3)

    def test_admin_index_and_portal_home_show_it(self):
        make_change(self.world.users["unit"], self.world.a)
        self.login("office")
        html = self.client.get(reverse("admin:index")).content.decode()
        self.assertIn('data-testid="work-roster_changes_to_decide"', html)
        self.assertIn("待审批的花名册变更", html)
        self.login("unit")
        html = self.client.get(reverse("portal:home")).content.decode()
        self.assertIn('data-testid="work-roster_changes_waiting"', html)
        self.assertNotIn('data-testid="work-roster_changes_to_decide"', html)

    def test_every_link_opens(self):
        for role in ("office", "director", "unit", "liaison", "inspector"):
            self.login(role)
            for place in ("admin", "portal"):
                for item in work_queue(self.fresh(role), place=place):
                    if place == "admin" and not self.world.users[role].is_staff:
                        continue
                    with self.subTest(role=role, place=place, item=item["key"]):
                        response = self.client.get(item["url"])
                        self.assertEqual(response.status_code, 200)
                        self.assertNotIn("e=1", response.get("Location", ""))
