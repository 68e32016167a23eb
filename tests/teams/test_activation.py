"""Emergency activation and call-out: ordered through the API by office staff, acknowledged by
the team's liaison, deployed and stood down; each liaison is notified once per team and step."""

from django.urls import reverse

from mobilization.models import Notification
from teams.models import Activation, ActivationTeam
from teams.services import activation_order, activation_stand_down
from tests.base import WorldTestCase, delivered_in_process
from tests.factories import make_team


class ActivationWorkflowTest(WorldTestCase):
    def setUp(self):
        a = self.world.a
        self.mine = make_team(a, name="卫健应急医疗队")  # the liaison's unit
        self.child = make_team(a, name="人民医院医疗队", unit=a.child_unit)  # a unit it manages
        self.other = make_team(a, name="交通运输保障队", unit=a.other_unit)  # not the liaison's

    def order(self):
        self.as_role("office")
        payload = {
            "title": "防汛抢险启动令",
            "reason": "特大暴雨",
            "region": self.world.a.county.code,
            "teams": [self.mine.pk, self.child.pk, self.other.pk],
        }
        response = self.client.post(reverse("api:activation-list"), payload, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        return Activation.objects.get(pk=response.json()["id"])

    def url(self, activation, name):
        return reverse(f"api:activation-{name}", args=[activation.pk])

    def notes(self, role, suffix=""):
        return Notification.objects.filter(recipient=self.world.users[role], key__endswith=suffix, kind="activation")

    def test_order_notifies_the_liaisons_of_each_team_once(self):
        activation = self.order()
        self.assertEqual(activation.status, "ordered")
        self.assertEqual(activation.ordered_by, self.world.users["office"])
        self.assertEqual(activation.callouts.filter(notified_at__isnull=False).count(), 3)
        # The liaison answers for its unit and the unit it manages, not for the transport bureau.
        keys = set(self.notes("unit").values_list("key", flat=True))
        self.assertEqual(
            keys,
            {f"activation:{activation.pk}:team:{self.mine.pk}", f"activation:{activation.pk}:team:{self.child.pk}"},
        )
        # Notifying again (a retried task, a double click) creates nothing new.
        from teams.services import _notify_callout

        for callout in activation.callouts.all():
            _notify_callout(callout, suffix="", title="again", body="")
        self.assertEqual(self.notes("unit").count(), 2)

    def test_leaders_and_a_mobile_duty_phone_are_texted_once(self):
        from unittest import mock

        from tests.factories import add_member

        leader, deputy, member = (add_member(self.mine, role=role) for role in ("leader", "deputy", "member"))
        for person, phone in ((leader, "13700002222"), (deputy, "13700003333"), (member, "13700004444")):
            person.phone = phone
            person.save()
        self.mine.duty_phone = "13700005555"
        self.mine.save()
        self.other.duty_phone = "0533-1234567"  # a landline takes no SMS
        self.other.save()
        with (
            delivered_in_process(),
            mock.patch("mobilization.sms.LoggingSMSBackend.send") as sms,
            self.captureOnCommitCallbacks(execute=True),
        ):
            activation = self.order()
        texted = {call.args[0] for call in sms.call_args_list}
        self.assertTrue({"13700002222", "13700003333", "13700005555"} <= texted)
        self.assertFalse({"13700004444", "0533-1234567"} & texted)
        from teams.services import _notify_callout

        callout = activation.callouts.get(team=self.mine)
        _notify_callout(callout, suffix="", title="again", body="")  # a retry texts nobody again
        self.assertEqual(
            Notification.objects.filter(key=f"activation:{activation.pk}:team:{self.mine.pk}", recipient=None).count(),
            3,
        )

    def test_liaison_acknowledges_its_team_and_reports_headcount(self):
        activation = self.order()
        self.as_role("unit")
        response = self.client.post(
            self.url(activation, "acknowledge"), {"team": self.mine.pk, "assembled_headcount": 11}, format="json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "assembling")
        callout = ActivationTeam.objects.get(activation=activation, team=self.mine)
        self.assertIsNotNone(callout.acknowledged_at)
        self.assertEqual((callout.assembled_headcount, callout.acknowledged_by), (11, self.world.users["unit"]))
        # The ordering officer hears of it once, however often the liaison presses the button.
        self.client.post(self.url(activation, "acknowledge"), {"team": self.mine.pk, "assembled_headcount": 12})
        self.assertEqual(self.notes("office", ":acknowledged").count(), 1)
        callout.refresh_from_db()
        self.assertEqual(callout.assembled_headcount, 12)

    def test_liaison_cannot_answer_for_a_team_it_does_not_see(self):
        activation = self.order()
        self.as_role("unit")
        response = self.client.post(self.url(activation, "acknowledge"), {"team": self.other.pk}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIsNone(ActivationTeam.objects.get(activation=activation, team=self.other).acknowledged_at)

    def test_a_team_not_called_out_cannot_acknowledge(self):
        activation = self.order()
        spare = make_team(self.world.a, name="未调用的队")
        self.as_role("office")
        response = self.client.post(self.url(activation, "acknowledge"), {"team": spare.pk}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("team", response.json())

    def test_liaison_sees_the_activation_but_cannot_deploy_or_stand_down(self):
        activation = self.order()
        self.as_role("unit")
        self.assertEqual(self.client.get(reverse("api:activation-detail", args=[activation.pk])).status_code, 200)
        self.assertEqual(self.client.post(self.url(activation, "deploy")).status_code, 403)
        self.assertEqual(self.client.post(self.url(activation, "stand-down")).status_code, 403)

    def test_out_of_scope_activation_is_404_on_every_action(self):
        b = self.world.b
        foreign = activation_order(
            title="外市启动令", reason="演练", region=b.county, teams=[make_team(b)], by=self.world.superuser
        )
        for role in ("office", "unit", "liaison"):
            self.as_role(role)
            for name in ("acknowledge", "deploy", "stand-down"):
                with self.subTest(role=role, action=name):
                    self.assertEqual(self.client.post(self.url(foreign, name)).status_code, 404)

    def test_deploy_then_stand_down_notifies_once_and_cannot_repeat(self):
        activation = self.order()
        self.as_role("office")
        self.assertEqual(self.client.post(self.url(activation, "deploy")).json()["status"], "deployed")
        response = self.client.post(self.url(activation, "stand-down"))
        self.assertEqual(response.json()["status"], "stood_down")
        self.assertEqual(self.notes("unit", ":stand-down").count(), 2)
        again = self.client.post(self.url(activation, "stand-down"))
        self.assertEqual(again.status_code, 400)
        self.assertEqual(self.notes("unit", ":stand-down").count(), 2)
        self.assertEqual(self.client.post(self.url(activation, "deploy")).status_code, 400)
        self.as_role("unit")
        late = self.client.post(self.url(activation, "acknowledge"), {"team": self.mine.pk}, format="json")
        self.assertEqual(late.status_code, 400)

    def test_teams_are_fixed_once_ordered(self):
        activation = self.order()
        self.as_role("office")
        response = self.client.patch(
            reverse("api:activation-detail", args=[activation.pk]), {"teams": [self.mine.pk]}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(activation.callouts.count(), 3)

    def test_an_order_without_teams_is_refused(self):
        self.as_role("office")
        payload = {"title": "空令", "reason": "无", "region": self.world.a.county.code, "teams": []}
        self.assertEqual(self.client.post(reverse("api:activation-list"), payload, format="json").status_code, 400)
        self.assertFalse(Activation.objects.filter(title="空令").exists())

    def test_stand_down_service_refuses_twice(self):
        from django.core.exceptions import ValidationError

        activation = activation_order(
            title="演练", reason="演练", region=self.world.a.county, teams=[self.mine], by=None
        )
        activation_stand_down(activation=activation, by=None)
        with self.assertRaises(ValidationError):
            activation_stand_down(activation=activation, by=None)
