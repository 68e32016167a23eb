"""Workflow actions of the API, the admin rates page and the portal pages: plan approval, bulk
attendance (a liaison records its own teams only), rates, competition standings and advancing,
and the per-unit report of a drill; out-of-scope objects answer 404 on every path."""

import datetime
from decimal import Decimal

from django.urls import reverse

from tests.base import WorldTestCase
from tests.factories import add_member, make_drill, make_exercise, make_plan, make_team
from training.models import Assessment, Attendance, Competition, Exercise, PlanItem
from training.services import exercise_expect_attendance


class PlanApproveTest(WorldTestCase):
    def test_office_approves_a_plan_with_items_once(self):
        plan = make_plan(self.world.a)
        url = reverse("api:trainingplan-approve", args=[plan.pk])
        self.as_role("office")
        self.assertEqual(self.client.post(url).status_code, 400)  # no items yet
        PlanItem.objects.create(plan=plan, subject="医疗救护", planned_month=4, hours=8)
        response = self.client.post(url)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "approved")
        self.assertEqual(self.client.post(url).status_code, 400)
        self.as_role("liaison")
        self.assertEqual(self.client.post(url).status_code, 403)
        self.as_role("office")
        self.assertEqual(
            self.client.post(reverse("api:trainingplan-approve", args=[make_plan(self.world.b).pk])).status_code, 404
        )

    def test_progress_counts_items_held(self):
        plan = make_plan(self.world.a)
        held = PlanItem.objects.create(plan=plan, subject="消防救援", planned_month=5, hours=8)
        PlanItem.objects.create(plan=plan, subject="网络攻防", planned_month=6, hours=8)
        make_exercise(self.world.a, plan_item=held)
        make_exercise(self.world.a, plan_item=held, status="planned")
        self.as_role("office")
        body = self.client.get(reverse("api:trainingplan-detail", args=[plan.pk])).json()
        self.assertEqual((body["items_planned"], body["items_held"]), (2, 1))


class BulkAttendanceTest(WorldTestCase):
    def setUp(self):
        a = self.world.a
        self.own = make_team(a)  # the liaison's unit's team
        self.other = make_team(a, unit=a.other_unit)
        self.own_people = [add_member(self.own) for _ in range(3)]
        self.other_person = add_member(self.other)
        self.gone = add_member(self.own, joined=datetime.date(2020, 1, 1), left=datetime.date(2026, 1, 1))
        self.exercise = make_exercise(a, teams=[self.own, self.other])
        self.url = reverse("api:exercise-attendance", args=[self.exercise.pk])

    def test_expected_are_the_active_members_on_the_day(self):
        exercise_expect_attendance(exercise=self.exercise)
        people = set(Attendance.objects.filter(exercise=self.exercise).values_list("person_id", flat=True))
        self.assertEqual(people, {p.pk for p in [*self.own_people, self.other_person]})

    def test_liaison_records_its_own_teams(self):
        self.as_role("unit")
        entries = [
            {"person": p.pk, "status": s}
            for p, s in zip(self.own_people, ["present", "absent", "excused"], strict=True)
        ]
        response = self.client.post(self.url, {"entries": entries}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        statuses = dict(Attendance.objects.filter(exercise=self.exercise).values_list("person_id", "status"))
        self.assertEqual([statuses[p.pk] for p in self.own_people], ["present", "absent", "excused"])
        self.assertEqual(statuses[self.other_person.pk], "expected")
        self.assertEqual({row["person"]["id"] for row in response.json()}, {p.pk for p in self.own_people})

    def test_liaison_cannot_record_another_units_member_and_nothing_is_saved(self):
        self.as_role("unit")
        entries = [
            {"person": self.own_people[0].pk, "status": "present"},
            {"person": self.other_person.pk, "status": "present"},
        ]
        response = self.client.post(self.url, {"entries": entries}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Attendance.objects.filter(exercise=self.exercise, status="present").exists())

    def test_roles_without_the_permission_and_out_of_scope(self):
        body = {"entries": [{"person": self.own_people[0].pk, "status": "present"}]}
        self.as_role("liaison")
        self.assertEqual(self.client.post(self.url, body, format="json").status_code, 403)
        self.as_role("office")
        outside = make_exercise(self.world.b)
        self.assertEqual(
            self.client.post(reverse("api:exercise-attendance", args=[outside.pk]), body, format="json").status_code,
            404,
        )

    def test_portal_bulk_entry(self):
        self.login("unit")
        url = reverse("portal:training-attendance", args=[self.exercise.pk])
        exercise_expect_attendance(exercise=self.exercise)
        page = self.client.get(url)
        self.assertContains(page, self.own_people[0].name)
        self.assertNotContains(page, self.other_person.name)  # another unit's member is not shown
        data = {f"status_{p.pk}": "present" for p in self.own_people}
        response = self.client.post(url, data, format="multipart")
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        self.assertEqual(Attendance.objects.filter(exercise=self.exercise, status="present").count(), 3)
        self.assertEqual(
            self.client.get(reverse("portal:training-attendance", args=[make_exercise(self.world.b).pk])).status_code,
            404,
        )


class RatesEndpointTest(WorldTestCase):
    def test_rates_against_targets_and_bad_dimension(self):
        exercise = make_exercise(self.world.a)
        team = exercise.teams.get()
        for status in ["present"] * 19 + ["absent"]:
            Attendance.objects.create(exercise=exercise, team=team, person=add_member(team), status=status)
        Assessment.objects.create(exercise=exercise, team=team, score=Decimal("93"))
        self.as_role("liaison")
        body = self.client.get(reverse("api:assessment-rates") + "?by=unit&year=2026").json()
        self.assertEqual(body["targets"], {"participation": "95.00", "excellent": "80.00"})
        row = body["results"][0]
        self.assertEqual(
            (row["participation_rate"], row["participation_met"], row["excellent_rate"], row["excellent_met"]),
            ("95.00", False, "100.00", True),
        )
        self.assertEqual(self.client.get(reverse("api:assessment-rates") + "?by=nothing").status_code, 400)

    def test_admin_and_portal_rates_pages(self):
        make_exercise(self.world.a)
        self.login("office")
        self.assertContains(
            self.client.get(reverse("admin:training_assessment_rates") + "?by=region"), "training-rates"
        )
        self.assertContains(self.client.get(reverse("portal:training-rates")), "training-rates")
        self.login("inspector")
        self.assertEqual(self.client.get(reverse("portal:training-rates")).status_code, 403)


class CompetitionTest(WorldTestCase):
    def test_standings_and_advancing_the_best(self):
        a = self.world.a
        competition = Competition.objects.create(name="技能竞赛", year=2026, office=a.office)
        teams = [make_team(a) for _ in range(4)]
        first = make_exercise(a, teams=teams, kind="competition", competition=competition, stage=1)
        make_exercise(
            a, teams=[], kind="competition", competition=competition, stage=2, start=datetime.date(2026, 6, 1)
        )
        for team, score in zip(teams, ["95", "88", "88", "70"], strict=True):
            Assessment.objects.create(exercise=first, team=team, score=Decimal(score))
        self.as_role("office")
        response = self.client.post(
            reverse("api:competition-advance", args=[competition.pk]), {"stage": 1, "top": 2}, format="json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        final = competition.stages.get(stage=2)
        self.assertEqual(set(final.teams.all()), set(teams[:3]))  # the tie at the cut goes through
        body = self.client.get(reverse("api:competition-standings", args=[competition.pk])).json()
        self.assertEqual([row["rank"] for row in body["stages"]], [1, 2, 2, 4])
        self.assertEqual(body["overall"][0]["team"], teams[0].pk)
        self.as_role("liaison")
        self.assertEqual(
            self.client.post(
                reverse("api:competition-advance", args=[competition.pk]), {"stage": 1, "top": 1}
            ).status_code,
            403,
        )

    def test_portal_standings_for_the_liaison(self):
        a = self.world.a
        competition = Competition.objects.create(name="医疗救护技能竞赛", year=2026, office=a.office)
        ours, theirs = make_team(a, name="本单位医疗队"), make_team(a, name="兄弟单位医疗队", unit=a.other_unit)
        stage = make_exercise(a, teams=[ours, theirs], kind="competition", competition=competition, stage=1)
        Assessment.objects.create(exercise=stage, team=ours, score=Decimal("91"))
        Assessment.objects.create(exercise=stage, team=theirs, score=Decimal("96"))
        self.login("unit")
        listing = self.client.get(reverse("portal:training-exercises"))
        self.assertContains(listing, reverse("portal:training-competition", args=[competition.pk]))
        page = self.client.get(reverse("portal:training-competition", args=[competition.pk]))
        self.assertContains(page, "医疗救护技能竞赛")
        # The liaison sees its own team, ranked among all who took part (second: 91 against 96),
        # and not the other unit's team; the API says the same.
        self.assertInHTML("<tr><td>2</td><td>本单位医疗队</td><td>1</td><td>91.0</td></tr>", page.content.decode())
        self.assertNotContains(page, "兄弟单位医疗队")
        self.assertContains(page, "总排名")
        body = self.client.get(reverse("api:competition-standings", args=[competition.pk])).json()
        self.assertEqual([(row["team"], row["rank"]) for row in body["overall"]], [(ours.pk, 2)])
        self.assertEqual([(row["team"], row["rank"]) for row in body["stages"]], [(ours.pk, 2)])
        outside = Competition.objects.create(name="外市竞赛", year=2026, office=self.world.b.office)
        make_exercise(self.world.b, kind="competition", competition=outside, stage=1)
        self.assertEqual(self.client.get(reverse("portal:training-competition", args=[outside.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("portal:training-exercises")), "外市竞赛")
        self.login("inspector")
        self.assertEqual(
            self.client.get(reverse("portal:training-competition", args=[competition.pk])).status_code, 403
        )

    def test_portal_competitions_list_costs_the_same_queries_for_1_or_4(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        a = self.world.a
        self.login("office")

        def listing_queries(more):
            for _ in range(more):
                competition = Competition.objects.create(
                    name=f"竞赛{Competition.objects.count()}", year=2026, office=a.office
                )
                for stage in (1, 2):
                    make_exercise(a, kind="competition", competition=competition, stage=stage)
            with CaptureQueriesContext(connection) as queries:
                page = self.client.get(reverse("portal:training-exercises"))
            for competition in Competition.objects.all():
                self.assertContains(page, reverse("portal:training-competition", args=[competition.pk]))
            return len(queries)

        listing_queries(0)  # the first page of the session also fills per-process caches
        self.assertEqual(listing_queries(1), listing_queries(3))


class DrillReportTest(WorldTestCase):
    def test_report_per_unit_api_and_portal(self):
        a = self.world.a
        team = make_team(a)
        drill = make_drill(a, year=2026, teams=[team])
        evacuation = make_exercise(a, teams=[team], kind="evacuation", drill=drill, start=datetime.date(2026, 9, 18))
        present, absent = add_member(team), add_member(team)
        Attendance.objects.create(exercise=evacuation, team=team, person=present, status="present")
        Attendance.objects.create(exercise=evacuation, team=team, person=absent, status="absent")
        self.as_role("office")
        body = self.client.get(reverse("api:alarmtestdrill-report", args=[drill.pk])).json()
        (unit,) = body["units"]
        self.assertEqual(
            (unit["unit"], unit["present"], unit["absent"], unit["participation_rate"]), (a.unit.pk, 1, 1, "50.00")
        )
        self.assertEqual({p["name"] for p in unit["people"]}, {present.name, absent.name})
        outside = make_drill(self.world.b, year=2026)
        self.assertEqual(self.client.get(reverse("api:alarmtestdrill-report", args=[outside.pk])).status_code, 404)
        self.login("unit")
        page = self.client.get(reverse("portal:training-drill", args=[drill.pk]))
        self.assertContains(page, present.name)
        self.assertEqual(self.client.get(reverse("portal:training-drill", args=[outside.pk])).status_code, 404)

    def test_report_lists_every_participating_unit_with_zeros_for_the_unrecorded(self):
        a = self.world.a
        recorded, silent = make_team(a), make_team(a, unit=a.other_unit)
        drill = make_drill(a, year=2026, teams=[recorded])
        drill.units.add(a.child_unit)  # a unit named on the drill itself, without a team
        evacuation = make_exercise(
            a, teams=[recorded, silent], kind="evacuation", drill=drill, start=datetime.date(2026, 9, 18)
        )
        Attendance.objects.create(exercise=evacuation, team=recorded, person=add_member(recorded), status="present")
        self.as_role("office")
        body = self.client.get(reverse("api:alarmtestdrill-report", args=[drill.pk])).json()
        units = {u["unit"]: (u["expected"], u["present"], u["participation_rate"]) for u in body["units"]}
        self.assertEqual(
            units,
            {
                recorded.unit_id: (1, 1, "100.00"),
                a.other_unit.pk: (0, 0, None),  # its team took part in the evacuation drill, nobody recorded
                a.child_unit.pk: (0, 0, None),
            },
        )
        self.login("office")
        page = self.client.get(reverse("portal:training-drill", args=[drill.pk]))
        self.assertContains(page, a.other_unit.name)

    def test_a_drill_is_only_for_evacuation_or_alarm_test_exercises(self):
        drill = make_drill(self.world.a, year=2026)
        self.as_role("office")
        payload = {
            "title": "演练", "level": "county", "kind": "single_subject", "subject": "消防", "office": self.world.a.office.pk,
            "start_date": "2026-09-18", "end_date": "2026-09-18", "drill": drill.pk,
        }  # fmt: skip
        response = self.client.post(reverse("api:exercise-list"), payload, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("drill", response.json())


class AdminPagesTest(WorldTestCase):
    def test_change_forms_open_and_out_of_scope_is_404(self):
        a = self.world.a
        competition = Competition.objects.create(name="技能竞赛", year=2026, office=a.office)
        first = make_exercise(a, kind="competition", competition=competition, stage=1)
        Assessment.objects.create(exercise=first, team=first.teams.get(), score=Decimal("91"))
        exercise_expect_attendance(exercise=first)
        drill = make_drill(a, year=2026)
        self.login("office")
        for name, obj in [("competition", competition), ("exercise", first), ("alarmtestdrill", drill)]:
            with self.subTest(name=name):
                response = self.client.get(reverse(f"admin:training_{name}_change", args=[obj.pk]))
                self.assertEqual(response.status_code, 200)
        self.assertContains(self.client.get(reverse("admin:training_competition_change", args=[competition.pk])), "91")
        outside = make_exercise(self.world.b)
        self.assertEqual(self.client.get(reverse("admin:training_exercise_change", args=[outside.pk])).status_code, 404)

    def test_exercise_changelist_counts_the_page_or_sorts_by_the_counts(self):
        a = self.world.a
        busy, quiet = make_exercise(a), make_exercise(a)
        for _ in range(3):
            add_member(busy.teams.get())
        exercise_expect_attendance(exercise=busy)
        self.login("office")
        url = reverse("admin:training_exercise_changelist")
        for query in ("", "?o=-8"):  # unsorted: counted for the page; sorted by "expected": in the SQL
            with self.subTest(query=query):
                response = self.client.get(url + query)
                self.assertEqual(response.status_code, 200)
                rows = {e.pk: e for e in response.context["cl"].result_list}
                self.assertEqual((rows[busy.pk].expected_count, rows[quiet.pk].expected_count), (3, 0))
                counted = Exercise.objects.with_attendance().get(pk=busy.pk)
                self.assertEqual(rows[busy.pk].present_count, counted.present_count)
        sorted_ids = [e.pk for e in self.client.get(url + "?o=-8").context["cl"].result_list]
        self.assertLess(sorted_ids.index(busy.pk), sorted_ids.index(quiet.pk))

    def test_bulk_mark_present_from_the_attendance_list(self):
        exercise = make_exercise(self.world.a)
        team = exercise.teams.get()
        people = [add_member(team) for _ in range(3)]
        exercise_expect_attendance(exercise=exercise)
        self.login("office")
        ids = list(Attendance.objects.filter(person__in=people[:2]).values_list("pk", flat=True))
        response = self.client.post(
            reverse("admin:training_attendance_changelist"),
            {"action": "mark_present", "_selected_action": ids},
            format="multipart",
        )
        self.assertEqual(response.status_code, 302)
        statuses = dict(Attendance.objects.values_list("person_id", "status"))
        self.assertEqual([statuses[p.pk] for p in people], ["present", "present", "expected"])


class CompetitionAdminStandingsTest(WorldTestCase):
    def test_the_admin_shows_the_standings_the_user_may_see(self):
        a, b = self.world.a, self.world.b
        competition = Competition.objects.create(name="跨区技能竞赛", year=2026, office=a.office)
        ours, theirs = make_team(a, name="张店医疗队"), make_team(b, name="外市医疗队")
        stage = make_exercise(a, teams=[ours, theirs], kind="competition", competition=competition, stage=1)
        Assessment.objects.create(exercise=stage, team=ours, score=Decimal("91"))
        Assessment.objects.create(exercise=stage, team=theirs, score=Decimal("96"))
        url = reverse("admin:training_competition_change", args=[competition.pk])
        self.login("office")
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        # Ranked among everyone (second), without the other city's team.
        self.assertInHTML("<tr><td>2</td><td>张店医疗队</td><td>1</td><td>91.0</td></tr>", page.content.decode())
        self.assertNotContains(page, "外市医疗队")
        self.login("root")
        self.assertContains(self.client.get(url), "外市医疗队")

    def test_the_standings_cost_the_same_queries_for_2_or_6_teams(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        a = self.world.a
        self.login("office")

        def page_queries(teams):
            competition = Competition.objects.create(name=f"竞赛{teams}", year=2026, office=a.office)
            squad = [make_team(a) for _ in range(teams)]
            stage = make_exercise(a, teams=squad, kind="competition", competition=competition, stage=1)
            for n, team in enumerate(squad):
                Assessment.objects.create(exercise=stage, team=team, score=Decimal(60 + n))
            with CaptureQueriesContext(connection) as queries:
                page = self.client.get(reverse("admin:training_competition_change", args=[competition.pk]))
            for team in squad:
                self.assertContains(page, f"<td>{team.name}</td>", html=True)
            return len(queries)

        page_queries(1)  # the first page of the session also fills per-process caches
        self.assertEqual(page_queries(2), page_queries(6))


class AdminAutocompleteTest(WorldTestCase):
    def test_related_fields_are_searched_not_listed(self):
        self.login("office")
        for name, fields in [
            ("exercise", ["office", "teams", "units"]),
            ("trainingplan", ["office"]),
            ("planitem", ["plan", "team_types", "teams"]),
            ("competition", ["office"]),
            ("alarmtestdrill", ["region", "teams", "units"]),
        ]:
            page = self.client.get(reverse(f"admin:training_{name}_add")).content.decode()
            for field in fields:
                with self.subTest(model=name, field=field):
                    self.assertIn(f'data-field-name="{field}"', page)
