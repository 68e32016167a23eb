"""Military requests: each stage a row with owner, deadline, notes and attachments; the office takes
a request to handover and closes it; an overdue stage escalates up the region chain exactly as
rectification orders do (one mechanism: mobilization.escalation)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.management import call_command

from command.choices import RequestStageChoices as S
from command.models import RequestAttachment
from command.services import military_request_advance, military_requests_sweep_overdue, request_stage_update
from mobilization.choices import NotificationKindChoices
from mobilization.models import Notification
from tests import factories as f
from tests.base import WorldTestCase

TODAY = date(2026, 6, 1)


class StagesTest(WorldTestCase):
    def test_every_stage_to_handover_then_closed(self):
        liaison, office = self.world.users["liaison"], self.world.users["office"]
        team = f.make_team(self.world.a)
        request = f.make_military_request(self.world.a, liaison, teams=[team], today=TODAY)
        self.assertEqual(list(request.teams.all()), [team])
        expected = [S.TASK_MEETING, S.NEEDS_ANALYSIS, S.SITE_SURVEY, S.HANDOVER, S.CLOSED]
        for step, stage in enumerate(expected):
            files = [f.photo_upload()] if stage == S.SITE_SURVEY else []
            request = military_request_advance(
                request=request, by=office, notes=f"第{step + 1}步", owner=office, files=files, today=TODAY
            )
            self.assertEqual(request.stage, stage)
        self.assertIsNotNone(request.closed_at)
        stages = list(request.stages.order_by("pk"))
        self.assertEqual(
            [s.stage for s in stages], [S.INTAKE, S.TASK_MEETING, S.NEEDS_ANALYSIS, S.SITE_SURVEY, S.HANDOVER]
        )
        self.assertTrue(all(s.completed_by == office for s in stages))
        self.assertEqual(RequestAttachment.objects.filter(stage=stages[2]).count(), 1)
        with self.assertRaises(ValidationError):
            military_request_advance(request=request, by=office)
        with self.assertRaises(ValidationError):
            request_stage_update(stage=stages[0], by=office, notes="改")
        # Both sides follow it: the liaison who raised it is told of the close.
        self.assertTrue(
            Notification.objects.filter(
                recipient=liaison, kind=NotificationKindChoices.MILITARY_REQUEST, key__endswith=":stage:closed"
            ).exists()
        )

    def test_an_overdue_stage_escalates_up_the_region_chain_once_per_level(self):
        request = f.make_military_request(self.world.a, self.world.users["liaison"], today=TODAY)
        stage = request.stages.get()
        overdue = stage.deadline + timedelta(days=1)
        self.assertEqual(military_requests_sweep_overdue(today=stage.deadline), {"escalated": 0})
        # The county request has no workstation above it: level 1 passes to the district office.
        self.assertEqual(military_requests_sweep_overdue(today=overdue), {"escalated": 1})
        self.assertEqual(military_requests_sweep_overdue(today=overdue), {"escalated": 0})
        stage.refresh_from_db()
        self.assertEqual(stage.escalation_level, 2)
        notes = Notification.objects.filter(kind=NotificationKindChoices.MILITARY_REQUEST_OVERDUE)
        self.assertEqual(list(notes.values_list("recipient__username", flat=True)), ["t_office"])
        call_command("sweep_overdue_military_requests", "--today", (overdue + timedelta(days=6)).isoformat())
        stage.refresh_from_db()
        self.assertEqual(stage.escalation_level, 3)
        self.assertEqual(set(notes.values_list("recipient__username", flat=True)), {"t_office", "t_city_office"})
        # A new deadline starts the escalation afresh.
        stage = request_stage_update(stage=stage, by=self.world.users["office"], deadline=overdue + timedelta(days=30))
        self.assertEqual(stage.escalation_level, 0)
