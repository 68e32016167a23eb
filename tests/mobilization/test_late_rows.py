"""A deep API page reads its rows' ids first, then the rows (`EstimatingPaginator.page`): the
pages, their order and their bodies are exactly those of the plain OFFSET read, at one query more."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.base import WorldTestCase
from tests.factories import add_member, make_team

EVERY_PAGE_LATE = override_settings(API_LATE_ROWS_FROM=0)
NO_PAGE_LATE = override_settings(API_LATE_ROWS_FROM=10**9)


class LateRowsTest(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for n in range(3):
            team = make_team(cls.world.a)
            for _ in range(n + 2):
                add_member(team, name="同名队员")  # ties in the list order: the id decides

    def pages(self, url, size=1):
        """Every page's body and query count, walking the list to its end."""
        bodies, queries, page = [], [], 1
        while True:
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(url, {"page": page, "page_size": size})
            self.assertEqual(response.status_code, 200, response.content[:200])
            bodies.append(response.json())
            queries.append(len(captured.captured_queries))
            if not response.json()["next"]:
                return bodies, queries
            page += 1

    def test_late_pages_are_the_plain_pages(self):
        for role, name in (("office", "person-list"), ("root", "person-list"), ("office", "team-list")):
            self.as_role(role)
            url = reverse(f"api:{name}")
            self.client.get(url)  # the user's first request also loads what later ones find cached
            with NO_PAGE_LATE:
                plain, plain_queries = self.pages(url)
            with EVERY_PAGE_LATE:
                late, late_queries = self.pages(url)
            self.assertGreater(len(plain), 2, (role, name))
            self.assertEqual(late, plain, (role, name))
            # One query more (the ids), whatever the page.
            self.assertEqual(late_queries, [n + 1 for n in plain_queries], (role, name))
            seen = [row["id"] for body in late for row in body["results"]]
            self.assertEqual(len(seen), len(set(seen)), (role, name))
