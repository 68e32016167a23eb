"""The call-out end to end in a real browser at phone size: office staff call out a team; three
members open their links from the SMS file — one is coming with an ETA, one cannot come with a
reason, one stays silent — and the board shows each; the escalation sweep texts the silent one
once, then tells the leader; a check-in counts as arrived."""

import datetime
import json
import re
import tempfile
from pathlib import Path

import pytest
from django.test import override_settings

from teams.models import Activation, PersonCall
from teams.services import callout_escalate
from tests.base import World, delivered_in_process
from tests.browser import PHONE, BrowserTestCase
from tests.factories import add_member, make_team


@pytest.mark.browser
class CalloutBrowserTest(BrowserTestCase):
    def setUp(self):
        self.world = World()
        self.team = make_team(self.world.a, name="张店区应急救援队")
        self.leader = add_member(self.team, phone="13911110000", role="leader", name="队长李")
        self.coming = add_member(self.team, phone="13911110001", name="王强")
        self.cannot = add_member(self.team, phone="13911110002", name="刘娟")
        self.silent = add_member(self.team, phone="13911110003", name="赵明")
        self.activation = Activation.objects.create(
            title="防汛集结",
            reason="暴雨",
            region=self.world.a.county,
            remind_after_minutes=10,
            escalate_after_minutes=5,
        )
        self.enterContext(delivered_in_process())
        tmp = self.enterContext(tempfile.TemporaryDirectory())
        self.sms_file = Path(tmp) / "sms.jsonl"
        self.enterContext(
            override_settings(
                SMS_BACKEND="mobilization.sms.FileSMSBackend",
                SMS_FILE_PATH=str(self.sms_file),
                PUBLIC_BASE_URL=self.live_server_url,
            )
        )

    def texts(self, to):
        lines = [json.loads(x) for x in self.sms_file.read_text(encoding="utf-8").splitlines()]
        return [x["text"] for x in lines if x["to"] == to]

    def link(self, person):
        return re.search(r"(http://\S+/r/[^/]+/)", self.texts(person.phone)[0]).group(1)

    def row(self, page):
        cells = page.locator(f"tr[data-team='{self.team.pk}'] td").all_inner_texts()
        keys = ["team", "called", "delivered", "yes", "no", "silent", "arrived"]
        return dict(zip(keys, cells, strict=False))

    def test_call_out_answers_board_escalation_and_check_in(self):
        office = self.new_page(viewport=PHONE)
        self.log_in(office, "t_office", at="/admin/login/")
        office.goto(f"{self.live_server_url}/admin/teams/activation/{self.activation.pk}/callout/")
        office.select_option("select[name=teams]", str(self.team.pk))
        with office.expect_navigation():
            office.click("[data-testid=callout-submit]")
        self.assertEqual(self.row(office)["called"], "4")

        def answer(person, fill, button):
            page = self.new_page(viewport=PHONE)
            page.goto(self.link(person))
            for selector, value in fill.items():
                page.fill(selector, value)
            with page.expect_navigation():
                page.click(f"[data-testid={button}]")
            self.assertIn("已记录", page.locator("[data-testid=done]").inner_text())
            return page

        answer(self.leader, {}, "yes")
        coming = answer(self.coming, {"input[name=eta_minutes]": "20"}, "yes")
        self.assertIn("20", coming.locator("[data-testid=state]").inner_text())
        answer(self.cannot, {"input[name=reason]": "在外地出差"}, "no")

        office.reload()
        row = self.row(office)
        self.assertEqual((row["called"], row["delivered"], row["yes"], row["no"], row["silent"], row["arrived"]),
                         ("4", "4", "2", "1", "1", "0"))  # fmt: skip

        called_at = PersonCall.objects.filter(activation=self.activation).first().notified_at
        for minutes in (10, 11):  # the second sweep sends nothing more
            callout_escalate(now=called_at + datetime.timedelta(minutes=minutes))
        self.assertEqual(len(self.texts(self.silent.phone)), 2)  # the call and one reminder
        self.assertEqual(len(self.texts(self.coming.phone)), 1)
        callout_escalate(now=called_at + datetime.timedelta(minutes=15))
        callout_escalate(now=called_at + datetime.timedelta(minutes=16))
        about_silent = [t for t in self.texts(self.leader.phone) if "赵明" in t]
        self.assertEqual(len(about_silent), 1)

        with coming.expect_navigation():
            coming.click("[data-testid=checkin]")
        # The board refreshes itself: the arrival shows without a reload.
        office.wait_for_function(
            f"document.querySelector(\"tr[data-team='{self.team.pk}'] td:nth-child(7)\").textContent === '1'",
            timeout=15000,
        )
        self.assertEqual(office.errors, [])
