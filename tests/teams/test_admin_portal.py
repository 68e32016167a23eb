"""The teams admin and portal pages: readiness shown with reasons, flat changelists, scoping 404s."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from teams.models import Activation, Team
from teams.services import activation_order
from tests.base import WorldTestCase
from tests.factories import add_equipment, add_member, make_team, make_type


class TeamAdminTest(WorldTestCase):
    url = reverse("admin:teams_team_changelist")

    def ready_team(self, name):
        team_type, kind, item = make_type(min_headcount=2, share=50, quantity=1)
        team = make_team(self.world.a, team_type=team_type, name=name, authorised_strength=3)
        add_member(team, kinds=[kind])
        add_member(team)
        add_equipment(team, item, 1)
        return team

    def test_changelist_shows_readiness_and_filters_on_it(self):
        ready = self.ready_team("达标队")
        short = make_team(self.world.a, name="缺员队")
        self.login("office")
        with translation.override("en"):
            response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "Headcount 0 is below the minimum of 15")
        self.assertContains(response, "not-ready")
        names = lambda r: {t.name for t in r.context["cl"].result_list}  # noqa: E731
        self.assertEqual(names(self.client.get(self.url + "?ready=no")), {short.name})
        self.assertEqual(names(self.client.get(self.url + "?ready=yes")), {ready.name})

    def test_changelist_query_count_is_flat(self):
        self.login("office")
        self.ready_team("队0")
        self.client.get(self.url)
        counts = []
        for batch in (2, 15):
            for i in range(batch):
                self.ready_team(f"队{batch}-{i}")
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(self.url)
            self.assertEqual(response.status_code, 200)
            counts.append(len(ctx.captured_queries))
        self.assertEqual(counts[0], counts[1], f"queries grow with the rows: {counts}")

    def test_change_page_shows_readiness_and_inlines(self):
        team = self.ready_team("详情队")
        self.login("office")
        response = self.client.get(reverse("admin:teams_team_change", args=[team.pk]))
        self.assertContains(response, "✔")
        self.assertContains(response, "equipment-group")  # the equipment inline
        self.assertContains(response, "standby_duties-group")

    def test_out_of_scope_team_is_404(self):
        other = make_team(self.world.b)
        self.login("office")
        self.assertEqual(self.client.get(reverse("admin:teams_team_change", args=[other.pk])).status_code, 404)

    def test_activation_added_in_admin_goes_through_the_service(self):
        team = make_team(self.world.a)
        self.login("office")
        response = self.client.post(
            reverse("admin:teams_activation_add"),
            {"title": "后台启动令", "reason": "山火", "region": self.world.a.county.code, "teams": [team.pk]},
            format="multipart",
        )
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("errors")
        )
        activation = Activation.objects.get(title="后台启动令")
        self.assertEqual(activation.ordered_by, self.world.users["office"])
        self.assertEqual(list(activation.teams.all()), [team])
        self.assertTrue(self.world.users["unit"].notifications.filter(key__startswith=f"activation:{activation.pk}:"))


class AutocompleteTest(WorldTestCase):
    """Foreign keys to long lists are searched, not listed; the searches are scoped."""

    def autocomplete(self, app, model, field, term=""):
        url = reverse("admin:autocomplete")
        query = {"app_label": app, "model_name": model, "field_name": field, "term": term}
        response = self.client.get(url, query)
        self.assertEqual(response.status_code, 200, response.content)
        return {row["text"] for row in response.json()["results"]}

    def test_relations_to_long_lists_use_autocomplete(self):
        from members.admin import MembershipAdmin, PersonAdmin, QualificationAdmin
        from teams.admin import TypeQualificationRequirementAdmin

        self.login("office")
        expected = [
            (PersonAdmin, "employer"),
            (MembershipAdmin, "team"),
            (MembershipAdmin, "person"),
            (QualificationAdmin, "person"),
            (QualificationAdmin, "kind"),
            (TypeQualificationRequirementAdmin, "kind"),
        ]
        for admin_class, field in expected:
            with self.subTest(admin=admin_class.__name__, field=field):
                self.assertIn(field, admin_class.autocomplete_fields)
        page = self.client.get(reverse("admin:teams_activation_add"))
        self.assertContains(page, 'data-field-name="teams"')

    def test_searches_are_scoped(self):
        mine = make_team(self.world.a, name="张店区搜索队")
        make_team(self.world.b, name="市中区搜索队")  # out of scope: the searches must not find it
        self.login("office")
        self.assertEqual(self.autocomplete("members", "membership", "team", "搜索队"), {str(mine)})
        self.assertEqual(self.autocomplete("teams", "activation", "teams", "搜索队"), {str(mine)})
        employers = self.autocomplete("members", "person", "employer")
        self.assertIn(str(self.world.a.unit), employers)
        self.assertNotIn(str(self.world.b.unit), employers)

    def test_catalogue_filters(self):
        from members.models import QualificationKind
        from teams.models import EquipmentItem, TypeEquipmentRequirement, TypeQualificationRequirement

        self.login("office")
        for url, model, requirement, key in (
            ("admin:teams_equipmentitem_changelist", EquipmentItem, TypeEquipmentRequirement, "item_id"),
            ("admin:members_qualificationkind_changelist", QualificationKind, TypeQualificationRequirement, "kind_id"),
        ):
            with self.subTest(model=model.__name__):
                required = set(requirement.objects.values_list(key, flat=True))
                self.assertTrue(required)  # the taxonomy data requires some
                for value, expected in (
                    ("yes", required),
                    ("no", set(model.objects.values_list("pk", flat=True)) - required),
                ):
                    response = self.client.get(reverse(url), {"required": value, "all": ""})
                    self.assertEqual({o.pk for o in response.context["cl"].queryset}, expected)


class PortalTest(WorldTestCase):
    def test_liaison_sees_the_readiness_of_its_teams_only(self):
        mine = make_team(self.world.a, name="本单位的队")
        managed = make_team(self.world.a, name="下属单位的队", unit=self.world.a.child_unit)
        other = make_team(self.world.a, name="别的单位的队", unit=self.world.a.other_unit)
        self.login("unit")
        with translation.override("en"):
            response = self.client.get(reverse("portal:teams-readiness"), HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        shown = {t.name for t in response.context["page"]}
        self.assertEqual(shown, {mine.name, managed.name})
        self.assertContains(response, "Headcount 0 is below the minimum")
        self.assertEqual(self.client.get(reverse("portal:teams-detail", args=[other.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("portal:teams-detail", args=[mine.pk])).status_code, 200)

    def test_office_sees_every_team_of_its_region_and_filters_not_ready(self):
        teams = [make_team(self.world.a, unit=u) for u in (self.world.a.unit, self.world.a.other_unit)]
        outside = make_team(self.world.b)
        self.login("office")
        response = self.client.get(reverse("portal:teams-readiness") + "?ready=no")
        shown = {t.pk for t in response.context["page"]}
        self.assertTrue({t.pk for t in teams} <= shown)
        self.assertNotIn(outside.pk, shown)
        self.assertEqual(
            self.client.get(reverse("portal:teams-readiness") + "?ready=yes").context["page"].paginator.count, 0
        )

    def test_roles_without_teams_are_refused(self):
        self.login("inspector")
        self.assertEqual(self.client.get(reverse("portal:teams-readiness")).status_code, 403)

    def test_liaison_acknowledges_a_callout_in_the_portal(self):
        mine = make_team(self.world.a)
        activation = activation_order(
            title="门户启动令", reason="演练", region=self.world.a.county, teams=[mine], by=None
        )
        self.login("unit")
        page = self.client.get(reverse("portal:teams-activation", args=[activation.pk]))
        self.assertContains(page, mine.name)
        response = self.client.post(
            reverse("portal:teams-activation-acknowledge", args=[activation.pk]),
            {"team": mine.pk, "assembled_headcount": 9},
            format="multipart",
        )
        self.assertEqual(response.status_code, 302)
        callout = activation.callouts.get()
        self.assertEqual(callout.assembled_headcount, 9)
        foreign = activation_order(
            title="外市", reason="演练", region=self.world.b.county, teams=[make_team(self.world.b)], by=None
        )
        self.assertEqual(self.client.get(reverse("portal:teams-activation", args=[foreign.pk])).status_code, 404)

    def test_home_tile_for_roles_that_read_teams(self):
        self.login("unit")
        self.assertContains(self.client.get(reverse("portal:home")), reverse("portal:teams-readiness"))
        Team.objects.all()  # keep the import honest for readers: the tile follows view_team
