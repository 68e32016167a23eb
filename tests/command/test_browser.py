"""In a real browser at phone size: the military liaison raises a request on the portal, office
staff take it through every stage to handover (through the API), and the liaison sees it closed."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from command.choices import RequestStageChoices as S
from command.models import MilitaryRequest
from tests.base import World
from tests.browser import PHONE, BrowserTestCase


@pytest.mark.browser
class MilitaryRequestBrowserTest(BrowserTestCase):
    def setUp(self):
        self.world = World()

    def no_sideways_scroll(self, page):
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"])

    def test_liaison_raises_office_takes_it_to_handover_liaison_sees_it_closed(self):
        page = self.new_page(viewport=PHONE)
        self.log_in(page, "t_liaison")
        page.click("[data-testid=tile-command-requests]")
        page.click("[data-testid=new-request]")
        page.wait_for_selector("form.request-form")
        self.no_sideways_scroll(page)
        page.fill("input[name=title]", "请求提供野战医疗保障")
        page.fill("textarea[name=description]", "演习期间需医疗救护队两支、救护车四台")
        with page.expect_navigation():
            page.click("[data-testid=submit-request]")
        request = MilitaryRequest.objects.get()
        self.assertEqual(
            (request.raised_by, request.region, request.stage),
            (self.world.users["liaison"], self.world.a.county, S.INTAKE),
        )
        with translation.override("zh-hans"):
            intake, closed = str(S.INTAKE.label), str(S.CLOSED.label)
        self.assertEqual(page.text_content("[data-testid=request-stage]").strip(), intake)
        self.no_sideways_scroll(page)

        office = APIClient()
        office.force_authenticate(self.world.users["office"])
        url = reverse("api:militaryrequest-detail", args=[request.pk]) + "advance/"
        stages = []
        for note in ("受理", "任务会商", "需求分析", "现地勘察", "交接完成"):
            response = office.post(url, {"notes": note}, format="json")
            self.assertEqual(response.status_code, 200, response.content)
            stages.append(response.json()["stage"])
        self.assertEqual(stages, [S.TASK_MEETING, S.NEEDS_ANALYSIS, S.SITE_SURVEY, S.HANDOVER, S.CLOSED])

        page.reload()
        self.assertEqual(page.text_content("[data-testid=request-stage]").strip(), closed)
        self.assertEqual(page.locator("[data-testid=stages] li").count(), 5)
        self.assertEqual(page.locator("[data-testid=advance-form]").count(), 0)  # the liaison does not advance
        self.no_sideways_scroll(page)
        self.assertEqual(page.errors, [], page.errors)
