"""Benchmark the call-out at scale against floors measured in the same run.

Builds N people (default 10,000) in teams of one bench member unit, then times:
  1. `callout_people` calling all of them out (selection, links, every SMS queued, calls inserted,
     the send task handed to the broker) against a floor: a bare bulk insert of the same SMS and
     call rows;
  2. 1,000 answers through `callout_answer` (each its own transaction, history and audit row)
     against a floor: 1,000 bare single-row updates plus history inserts;
  3. the board's queries at that size.
Everything it creates is deleted at the end. It asserts nothing: timings belong to the machine."""

import datetime
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Membership, Person
from mobilization.choices import UnitKindChoices
from mobilization.models import MemberUnit, Region, SMSMessage
from teams.choices import CallAnswerChoices, CallAnswerSourceChoices
from teams.links import new_code
from teams.models import Activation, ActivationTeam, PersonCall, PersonCallAnswer, Team, TeamType
from teams.selectors.board import activation_board
from teams.services import callout_answer, callout_people

TAG = "bench-callout"


class Command(BaseCommand):
    help = "Time calling out N people and recording 1,000 answers against floors measured in the same run."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--answers", type=int, default=1_000)
        parser.add_argument("--team-size", type=int, default=50)

    def handle(self, *args, people, answers, team_size, **options):
        from mobilization.celery import app

        # Queue to the broker, never send in-process: what is measured is queueing, as a worker
        # would take the batch from there. Without REDIS_URL the broker is Celery's in-memory one.
        app.conf.task_always_eager = False
        for leftover in MemberUnit.objects.filter(name__startswith=TAG):  # a run that was interrupted
            self.clean(leftover)
        region, unit, team_type = self.place()
        try:
            teams = self.build(region, unit, team_type, people, team_size)
            self.run(region, teams, people, answers)
        finally:
            self.clean(unit)

    def place(self):
        region = Region.objects.filter(code__endswith="00000000").exclude(code__endswith="0000000000").first()
        if region is None:
            region = Region.objects.create(code="379900000000", name="基准测试市", level="city")
        unit = MemberUnit.objects.create(
            name=f"{TAG} 单位", credit_code=f"91{int(time.time()) % 10**16:016d}", kind=UnitKindChoices.ENTERPRISE, sector="other",
            region=region,
        )  # fmt: skip
        team_type = TeamType.objects.order_by("pk").first()
        return region, unit, team_type

    def build(self, region, unit, team_type, people, team_size):
        started = time.perf_counter()
        teams = Team.objects.bulk_create(
            [
                Team(
                    name=f"{TAG} {i}",
                    team_type=team_type,
                    level="municipal",
                    region=region,
                    unit=unit,
                    authorised_strength=team_size,
                )
                for i in range(-(-people // team_size))
            ]  # fmt: skip
        )
        persons = Person.objects.bulk_create(
            [
                Person(name=f"基准{i}", id_number_encrypted="-", id_number_hash=f"{TAG}-{i}",
                       id_number_masked="3799**********0000", birth_year=1990, sex="M",
                       phone=f"17{i:09d}", employer=unit)
                for i in range(people)
            ],
            batch_size=2000,
        )  # fmt: skip
        Membership.objects.bulk_create(
            [
                Membership(person=p, team=teams[i // team_size], joined=datetime.date(2020, 1, 1))
                for i, p in enumerate(persons)
            ],
            batch_size=2000,
        )
        self.stdout.write(f"built {people} people in {len(teams)} teams in {time.perf_counter() - started:.1f} s")
        return teams

    def timed(self, fn):
        reset_queries()  # the query log keeps 9,000 entries: counting across its overflow miscounts
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - started
        return elapsed, len(ctx.captured_queries), result

    def run(self, region, teams, people, answers):
        floor_activation = Activation.objects.create(title=f"{TAG} floor", reason="-", region=region)
        activation = Activation.objects.create(title=f"{TAG}", reason="-", region=region)
        person_rows = list(
            Membership.objects.filter(team__in=teams).values_list("person_id", "team_id", "person__phone")
        )
        now = timezone.now()

        @transaction.atomic
        def floor():
            sms = SMSMessage.objects.bulk_create(
                [SMSMessage(key=f"{TAG}:floor:{p}", to=phone, text="x" * 60) for p, _t, phone in person_rows],
                batch_size=2000,
            )
            PersonCall.objects.bulk_create(
                [
                    PersonCall(
                        activation=floor_activation, person_id=p, team_id=t, code=new_code(), sms=m, notified_at=now
                    )
                    for (p, t, _phone), m in zip(person_rows, sms, strict=True)
                ],
                batch_size=2000,
            )

        floor_s, floor_q, _ = self.timed(floor)
        callout_s, callout_q, called = self.timed(
            lambda: callout_people(activation=activation, by=None, teams=teams, now=now)
        )
        queued = SMSMessage.objects.filter(key__startswith=f"callout:{activation.pk}:", status="queued").count()
        self.stdout.write(
            f"\n[{connection.vendor}] call-out of {people:,} people\n"
            f"  floor (bare bulk insert of the same SMS and call rows): {floor_s:7.2f} s, {floor_q} queries\n"
            f"  callout_people:                                         {callout_s:7.2f} s, {callout_q} queries, "
            f"{called:,} called, {queued:,} messages queued\n"
            f"  ratio: {callout_s / floor_s:.2f}x the floor"
        )

        calls = list(PersonCall.objects.filter(activation=activation).order_by("pk")[:answers])
        floor_calls = list(PersonCall.objects.filter(activation=floor_activation).order_by("pk")[:answers])

        def floor_answers():
            for call in floor_calls:
                with transaction.atomic():
                    PersonCall.objects.filter(pk=call.pk).update(
                        answer=CallAnswerChoices.YES, eta_minutes=15, answered_at=now
                    )
                    PersonCallAnswer.objects.create(
                        call=call,
                        answer=CallAnswerChoices.YES,
                        eta_minutes=15,
                        at=now,
                        source=CallAnswerSourceChoices.LINK,
                    )

        def real_answers():
            for i, call in enumerate(calls):
                if i % 5:
                    callout_answer(call=call, answer=CallAnswerChoices.YES, eta_minutes=i % 90)
                else:
                    callout_answer(call=call, answer=CallAnswerChoices.NO, reason="基准测试")

        floor_a, _, _ = self.timed(floor_answers)
        real_a, real_q, _ = self.timed(real_answers)
        self.stdout.write(
            f"\n{answers:,} answers\n"
            f"  floor (bare update + history insert, one transaction each): {floor_a:6.2f} s\n"
            f"  callout_answer:                                             {real_a:6.2f} s, "
            f"{real_q / answers:.1f} queries each ({answers / real_a * 60:,.0f} answers a minute)\n"
            f"  ratio: {real_a / floor_a:.2f}x the floor"
        )
        board_s, board_q, board = self.timed(lambda: activation_board(activation=activation))
        self.stdout.write(
            f"\nboard at {people:,} people: {board_s * 1000:.0f} ms, {board_q} queries "
            f"(total called {board['total']['called']:,}, yes {board['total']['yes']:,}, no {board['total']['no']:,})"
        )

    def clean(self, unit):
        activations = Activation.objects.filter(title__startswith=TAG)
        PersonCallAnswer.objects.filter(call__activation__in=activations).delete()
        PersonCall.objects.filter(activation__in=activations).delete()
        ActivationTeam.objects.filter(activation__in=activations).delete()
        SMSMessage.objects.filter(key__startswith=f"{TAG}:").delete()
        for activation in activations:
            SMSMessage.objects.filter(key__startswith=f"callout:{activation.pk}:").delete()
        activations.delete()
        Membership.objects.filter(team__unit=unit).delete()
        Person.objects.filter(employer=unit).delete()
        Team.objects.filter(unit=unit).delete()
        unit.delete()
