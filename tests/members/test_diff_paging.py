"""A roster change with thousands of items is shown a page of its diff at a time, in the admin
change page and on the portal (issue 12, item 6): neither renders every item at once."""

from django.urls import reverse

from members.models import RosterChangeItem
from members.presentation import DIFF_PAGE_SIZE
from tests.base import WorldTestCase
from tests.factories import make_change

ITEMS = 2 * DIFF_PAGE_SIZE + 50


class DiffPagingTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.change = make_change(cls.world.users["unit"], cls.world.a)
        first = cls.change.items.get()
        RosterChangeItem.objects.bulk_create(
            RosterChangeItem(
                change=cls.change,
                row=row,
                action=first.action,
                team=first.team,
                data=first.data,
                before=first.before,
                id_number_hash=first.id_number_hash,
                id_number_masked=first.id_number_masked,
            )
            for row in range(2, ITEMS + 1)
        )

    def _rows(self, response):
        self.assertEqual(response.status_code, 200)
        return response.content.decode().count('<tr class="diff-')

    def _pages(self, url):
        """(rows on page 1, its pager, rows on page 3, its range, rows when past the end)."""
        first = self.client.get(url)
        last = self.client.get(url + "?diff_page=3")
        beyond = self.client.get(url + "?diff_page=99")  # the last page, as the other portal lists do
        content = first.content.decode()
        return (
            self._rows(first),
            "1/3" in content and "?diff_page=2#roster-diff" in content,
            self._rows(last),
            f"{2 * DIFF_PAGE_SIZE + 1}–{ITEMS}" in last.content.decode(),
            self._rows(beyond),
        )

    EXPECTED = (DIFF_PAGE_SIZE, True, ITEMS - 2 * DIFF_PAGE_SIZE, True, ITEMS - 2 * DIFF_PAGE_SIZE)

    def test_the_portal_pages_the_diff(self):
        self.login("unit")
        self.assertEqual(self._pages(reverse("portal:members-change", args=[self.change.pk])), self.EXPECTED)

    def test_the_admin_change_page_pages_the_diff(self):
        self.login("office")
        url = reverse("admin:members_rosterchange_change", args=[self.change.pk])
        self.assertEqual(self._pages(url), self.EXPECTED)
