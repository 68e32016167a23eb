"""The call-out of people: who is selected, the texts with personal links, the answer page at
/r/<token>/, the response board (exact figures, flat queries, scoped) and its export."""

import io
import json
import re
import tempfile
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mobilization.models import Notification, SMSMessage
from teams.models import Activation, PersonCall, PersonCallAnswer
from teams.services import activation_stand_down, callout_answer, callout_checkin, callout_people
from tests.base import APIScopeTestCase, WorldTestCase, delivered_in_process
from tests.factories import add_member, make_team, make_type, n

TODAY = timezone.localdate()


def make_activation(side, **fields):
    return Activation.objects.create(
        title=fields.pop("title", f"集结令{n()}"), reason="演练", region=side.county, **fields
    )


def phone():
    return f"139{n():08d}"


class SMSFileMixin:
    def setUp(self):
        super().setUp()
        cache.clear()
        self.enterContext(delivered_in_process())
        self.tmp = self.enterContext(tempfile.TemporaryDirectory())
        self.sms_file = Path(self.tmp) / "sms.jsonl"
        self.enterContext(
            override_settings(
                SMS_BACKEND="mobilization.sms.FileSMSBackend",
                SMS_FILE_PATH=str(self.sms_file),
                PUBLIC_BASE_URL="https://mob.example.org",
            )
        )

    def call_out(self, **kwargs):
        """Call out and let the texts go as a worker would after commit."""
        with self.captureOnCommitCallbacks(execute=True):
            return callout_people(**kwargs)

    def texts(self):
        if not self.sms_file.exists():
            return []
        return [json.loads(line) for line in self.sms_file.read_text(encoding="utf-8").splitlines()]

    def link_for(self, phone_number):
        (text,) = [t["text"] for t in self.texts() if t["to"] == phone_number]
        return re.search(r"https://mob\.example\.org(/r/[^/]+/)", text).group(1)


class CalloutSelectionTest(SMSFileMixin, WorldTestCase):
    def test_people_are_selected_by_team_type_qualification_and_availability(self):
        a = self.world.a
        team_type, kind, _item = make_type(min_headcount=2)
        fire = make_team(a, team_type=team_type)
        other_type = make_team(a)
        qualified = add_member(fire, kinds=[kind], phone=phone())
        plain = add_member(fire, phone=phone())
        add_member(fire, kinds=[kind], phone=phone(), away_until=TODAY)  # unavailable today
        add_member(fire, kinds=[kind])  # no mobile: cannot be texted
        add_member(other_type, kinds=[kind], phone=phone())
        add_member(make_team(self.world.b, team_type=team_type), phone=phone())  # another city
        activation = make_activation(a)
        office = self.world.users["office"]
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(
                callout_people(activation=activation, by=office, team_types=[team_type], qualifications=[kind]), 1
            )
        self.assertEqual(list(activation.person_calls.values_list("person_id", flat=True)), [qualified.pk])
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(callout_people(activation=activation, by=office, teams=[fire]), 1)  # only `plain` is new
            self.assertEqual(callout_people(activation=activation, by=office, teams=[fire]), 0)
        self.assertEqual(
            sorted(activation.person_calls.values_list("person_id", flat=True)), sorted([qualified.pk, plain.pk])
        )
        # Each got one text with a personal link, delivered (the file backend is the handset).
        self.assertEqual(sorted(t["to"] for t in self.texts()), sorted([qualified.phone, plain.phone]))
        self.assertIn("/r/", self.texts()[0]["text"])
        self.assertEqual(
            set(
                SMSMessage.objects.filter(key__startswith=f"callout:{activation.pk}:").values_list("status", flat=True)
            ),
            {"delivered"},
        )
        self.assertEqual(set(activation.callouts.values_list("team_id", flat=True)), {fire.pk})

    def test_an_account_holder_also_gets_an_in_app_notification(self):
        team = make_team(self.world.a)
        add_member(team, phone="13800000000")  # the world's users carry this mobile
        activation = make_activation(self.world.a)
        callout_people(activation=activation, by=self.world.users["office"], teams=[team])
        note = Notification.objects.filter(recipient=self.world.users["unit"], kind="callout").get()
        self.assertRegex(note.url, r"^https://mob\.example\.org/r/[A-Za-z0-9_-]{16}/$")


class RespondPageTest(SMSFileMixin, WorldTestCase):
    def setUp(self):
        super().setUp()
        self.team = make_team(self.world.a)
        self.leader = add_member(self.team, phone=phone(), role="leader")
        self.member = add_member(self.team, phone=phone())
        self.activation = make_activation(self.world.a)
        self.call_out(activation=self.activation, by=self.world.users["office"], teams=[self.team])
        self.call = PersonCall.objects.get(person=self.member)
        self.url = self.link_for(self.member.phone)
        self.client.logout()

    def post(self, url, data):
        return self.client.post(url, data, format="multipart")

    def test_the_page_shows_in_chinese_without_login(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "召集")
        self.assertContains(response, self.member.name)

    def test_answers_are_recorded_changed_and_kept(self):
        response = self.post(self.url, {"answer": "yes", "eta_minutes": "25"})
        self.assertEqual(response.status_code, 302)
        self.call.refresh_from_db()
        self.assertEqual((self.call.answer, self.call.eta_minutes), ("yes", 25))
        first = self.call.first_answered_at
        self.post(self.url, {"answer": "no", "reason": "在外地出差"})
        self.call.refresh_from_db()
        self.assertEqual((self.call.answer, self.call.eta_minutes, self.call.reason), ("no", None, "在外地出差"))
        self.assertEqual(self.call.first_answered_at, first)
        self.assertEqual(
            list(self.call.answers.values_list("answer", "eta_minutes", "reason")),
            [("yes", 25, ""), ("no", None, "在外地出差")],
        )

    def test_bad_answers_say_why_and_change_nothing(self):
        for data, text in [
            ({"answer": "no", "reason": " "}, "原因"),
            ({"answer": "yes", "eta_minutes": "abc"}, "分钟"),
            ({"answer": "yes", "eta_minutes": "5000"}, "1440"),
            ({"answer": "maybe"}, "“yes”"),
        ]:
            with self.subTest(data=data):
                response = self.post(self.url, data)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, text, status_code=400)
        self.assertFalse(PersonCallAnswer.objects.exists())

    def test_check_in_by_the_person_and_by_the_leader(self):
        self.post(self.url, {"checkin": "1"})
        self.call.refresh_from_db()
        self.assertIsNotNone(self.call.arrived_at)
        self.assertEqual(self.call.answer, "yes")
        # The leader's own page lists the team and checks the leader's members in.
        leader_call = PersonCall.objects.get(person=self.leader)
        leader_url = self.link_for(self.leader.phone)
        page = self.client.get(leader_url)
        self.assertContains(page, 'data-testid="team"')
        other = add_member(self.team, phone=phone())
        self.call_out(activation=self.activation, by=None, teams=[self.team])
        other_call = PersonCall.objects.get(person=other)
        self.post(leader_url, {"checkin": "1", "call": str(other_call.pk)})
        other_call.refresh_from_db()
        self.assertIsNotNone(other_call.arrived_at)
        self.assertEqual(other_call.answers.get().source, "leader")
        # A member cannot check in someone else.
        response = self.post(self.url, {"checkin": "1", "call": str(leader_call.pk)})
        self.assertEqual(response.status_code, 400)

    def test_the_person_says_they_are_away(self):
        until = TODAY.replace(year=TODAY.year + 1)
        self.post(self.url, {"unavailable_until": until.isoformat(), "unavailable_reason": "illness"})
        self.member.refresh_from_db()
        self.assertEqual((self.member.unavailable_until, self.member.unavailable_reason), (until, "illness"))

    def test_bad_altered_and_expired_links_never_500(self):
        token = self.url.split("/")[2]
        for bad in ("nonsense", token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 16):
            with self.subTest(bad=bad):
                response = self.client.get(f"/r/{bad}/")
                self.assertEqual(response.status_code, 404)
                self.assertContains(response, "链接无效或已过期", status_code=404)
        # A NUL in the path is refused before any view, as on every other address.
        self.assertEqual(self.client.get(f"/r/{token[:8]}{'%00' * 8}/").status_code, 400)
        activation_stand_down(activation=self.activation, by=self.world.users["office"])
        response = self.post(self.url, {"answer": "yes"})
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "已过期", status_code=410)
        self.assertFalse(PersonCallAnswer.objects.exists())

    def test_requests_are_rate_limited(self):
        with override_settings(CALLOUT_LINK_RATE=3):
            codes = [self.client.get(self.url).status_code for _ in range(5)]
        self.assertEqual(codes, [200, 200, 200, 429, 429])


class BoardTest(SMSFileMixin, WorldTestCase):
    def build(self, extra_silent=0):
        a = self.world.a
        team_type, kind, _item = make_type(min_headcount=4, share=50)
        self.team = make_team(
            a, team_type=team_type, name=f"=队伍{n()}"
        )  # a name a spreadsheet would take for a formula
        self.other = make_team(a, team_type=team_type, unit=a.other_unit)
        people = [add_member(self.team, kinds=[kind], phone=phone()) for _ in range(3)]
        people += [add_member(self.team, phone=phone()) for _ in range(2 + extra_silent)]
        self.other_people = [add_member(self.other, phone=phone()) for _ in range(2)]
        self.spare = add_member(make_team(a, team_type=team_type), kinds=[kind], phone=phone())
        self.activation = make_activation(a)
        self.call_out(activation=self.activation, by=self.world.users["office"], teams=[self.team, self.other])
        call = {p.pk: c for c in PersonCall.objects.filter(activation=self.activation) for p in [c.person]}
        callout_answer(call=call[people[0].pk], answer="yes", eta_minutes=10)
        callout_answer(call=call[people[1].pk], answer="yes", eta_minutes=45)
        callout_answer(call=call[people[2].pk], answer="no", reason="病假")
        callout_answer(call=call[people[3].pk], answer="yes", eta_minutes=20)
        callout_checkin(call=call[people[3].pk])
        callout_answer(call=call[self.other_people[0].pk], answer="yes")
        self.kind = kind

    def board(self):
        return self.client.get(reverse("api:activation-board", args=[self.activation.pk]))

    def test_figures_per_team_and_in_total(self):
        self.build()
        self.as_role("office")
        body = self.board().json()
        rows = {r["team"]["id"]: r for r in body["teams"]}
        mine = rows[self.team.pk]
        self.assertEqual(
            {
                k: mine[k]
                for k in (
                    "called",
                    "delivered",
                    "yes",
                    "no",
                    "silent",
                    "arrived",
                    "eta_15",
                    "eta_30",
                    "eta_60",
                    "eta_later",
                )
            },
            {
                "called": 5,
                "delivered": 5,
                "yes": 3,
                "no": 1,
                "silent": 1,
                "arrived": 1,
                "eta_15": 1,
                "eta_30": 0,
                "eta_60": 1,
                "eta_later": 0,
            },
        )
        # 4 needed, 3 coming; 50% of 4 = 2 holders needed, 2 coming (people 0 and 1).
        self.assertEqual((mine["min_headcount"], mine["shortfall"], mine["short"]), (4, 1, True))
        self.assertEqual([(q["required"], q["coming"], q["short"]) for q in mine["qualifications"]], [(2, 2, 0)])
        other = rows[self.other.pk]
        self.assertEqual((other["called"], other["yes"], other["shortfall"]), (2, 1, 3))
        self.assertEqual([(q["coming"], q["short"]) for q in other["qualifications"]], [(0, 2)])
        self.assertEqual(
            {k: body["total"][k] for k in ("called", "yes", "no", "silent", "arrived", "shortfall")},
            {"called": 7, "yes": 4, "no": 1, "silent": 2, "arrived": 1, "shortfall": 4},
        )
        # The spare of the same type, a qualified holder, is suggested for both short teams.
        suggested = {s["for_team"]["id"]: [p["person"]["id"] for p in s["people"]] for s in body["replacements"]}
        self.assertEqual(suggested, {self.team.pk: [self.spare.pk], self.other.pk: [self.spare.pk]})

    def test_queries_are_flat_in_the_number_of_people(self):
        counts = []
        for extra in (0, 20):
            self.build(extra_silent=extra)
            self.as_role("office")
            self.board()
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.board().status_code, 200)
            counts.append(len(ctx.captured_queries))
        self.assertEqual(counts[0], counts[1], counts)
        self.assertLessEqual(counts[1], 12)

    def test_scoped_board_and_export(self):
        self.build()
        self.as_role("unit")  # the liaison of the unit of `team`, not of `other`
        rows = [r["team"]["id"] for r in self.board().json()["teams"]]
        self.assertEqual(rows, [self.team.pk])
        outside = make_activation(self.world.b)
        self.assertEqual(self.client.get(reverse("api:activation-board", args=[outside.pk])).status_code, 404)
        self.as_role("office")
        response = self.client.get(reverse("api:activation-board-export", args=[self.activation.pk]))
        self.assertEqual(response.status_code, 200)
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(response.content)).active
        names = [row[0] for row in ws.iter_rows(min_row=3, values_only=True)]
        self.assertIn("'" + self.team.name, names)
        self.assertEqual(names[-1], "合计")

    def test_calling_out_through_the_api(self):
        team = make_team(self.world.a)
        add_member(team, phone=phone())
        activation = make_activation(self.world.a)
        url = reverse("api:activation-callout", args=[activation.pk])
        self.as_role("unit")
        # The liaison does not see an activation that calls none of its teams.
        self.assertEqual(self.client.post(url, {"teams": [team.pk]}, format="json").status_code, 404)
        self.as_role("office")
        response = self.client.post(url, {"teams": [team.pk]}, format="json")
        self.assertEqual(response.json(), {"called": 1})
        outside = make_team(self.world.b)
        response = self.client.post(url, {"teams": [outside.pk]}, format="json")
        self.assertEqual(response.status_code, 400)


class PersonCallAPITest(APIScopeTestCase):
    model = PersonCall
    basename = "personcall"
    access = {"city_office": "read", "office": "read", "unit": "read", "liaison": "read"}
    writable = False

    def make(self, side):
        team = make_team(side)
        person = add_member(team, phone=phone())
        activation = make_activation(side)
        callout_people(activation=activation, by=None, teams=[team])
        return PersonCall.objects.get(person=person)

    def create_payload(self, side):
        return {}


class BoardPagesTest(SMSFileMixin, WorldTestCase):
    def test_portal_and_admin_boards_and_the_admin_call_out(self):
        team = make_team(self.world.a, name=f"医疗队{n()}")
        person = add_member(team, phone=phone())
        activation = make_activation(self.world.a)
        self.login("office")
        callout_url = reverse("admin:teams_activation_callout", args=[activation.pk])
        self.assertEqual(self.client.get(callout_url).status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(callout_url, {"teams": [team.pk]}, format="multipart")
        self.assertRedirects(response, reverse("admin:teams_activation_board", args=[activation.pk]))
        self.assertEqual(list(activation.person_calls.values_list("person_id", flat=True)), [person.pk])
        admin_board = self.client.get(reverse("admin:teams_activation_board", args=[activation.pk]))
        self.assertContains(admin_board, f'data-team="{team.pk}"')
        self.assertContains(admin_board, "teams/board.js")
        self.login("unit")
        page = self.client.get(reverse("portal:teams-activation-board", args=[activation.pk]) + "?wall=1")
        self.assertContains(page, team.name)
        self.assertContains(page, 'data-board-url="/api/v1/activations/')
        self.assertContains(page, 'class="wall"')
        outside = make_activation(self.world.b)
        self.assertEqual(self.client.get(reverse("portal:teams-activation-board", args=[outside.pk])).status_code, 404)
        self.login("liaison")  # reads, but may not call out
        self.assertEqual(self.client.get(callout_url).status_code, 403)
