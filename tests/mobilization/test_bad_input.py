"""Every bad input a client can send is a 4xx with a JSON message, never a 500 (issue 12)."""

import datetime
import json

import django_filters
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIRequestFactory

import mobilization.urls  # noqa: F401  (every app's filtersets registered)
from mobilization.api.exceptions import exception_handler
from mobilization.filtersets import BaseFilterSet
from mobilization.models import ContactPoint, Workstation
from teams.models import TeamType
from tests.base import WorldTestCase
from tests.factories import make_team
from training.api.views import AlarmTestDrillViewSet
from training.models import AlarmTestDrill, GradeThresholds


def _filtersets():
    pending = list(BaseFilterSet.__subclasses__())
    while pending:
        filterset = pending.pop()
        pending.extend(filterset.__subclasses__())
        yield filterset


def _list_routes():
    """(list url name, filterset) for every API list with a filterset."""
    from django.urls import get_resolver

    by_filterset = {}
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "app_name", None) != "api":
            continue
        for route in pattern.url_patterns:
            view = getattr(route.callback, "cls", None)
            name = getattr(route, "name", "") or ""
            if name.endswith("-list") and getattr(view, "filterset_class", None):
                by_filterset.setdefault(view.filterset_class, f"api:{name}")
    return by_filterset


class BadFilterValuesTest(WorldTestCase):
    def setUp(self):
        self.as_role("root")
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def test_every_number_filter_refuses_words_and_numbers_beyond_any_column(self):
        routes = _list_routes()
        tried = 0
        for filterset, url_name in routes.items():
            for name, number_filter in filterset.base_filters.items():
                if not isinstance(number_filter, django_filters.NumberFilter):
                    continue
                for value in ("x", "99999999999999999999"):
                    with self.subTest(url=url_name, filter=name, value=value):
                        response = self.client.get(reverse(url_name), {name: value})
                        self.assertEqual(response.status_code, 400, response.content)
                        self.assertEqual(list(response.json()), [name])
                tried += 1
        # The 22 `<fk>_id` lists of the issue and the year filters: all reached, none forgotten.
        self.assertGreaterEqual(tried, 30)

    def test_an_id_filter_still_finds_its_rows(self):
        workstation = self.world.a.workstation
        response = self.client.get(reverse("api:contactpoint-list"), {"workstation_id": workstation.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.ids_in(response), {str(self.world.a.contact_point.pk)})

    def test_a_year_beyond_the_calendar_is_refused_by_filter_and_by_body(self):
        response = self.client.get(reverse("api:exercise-list"), {"year": "99999999999999999999"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"year": ["Ensure this value is less than or equal to 2999."]})
        response = self.client.post(reverse("api:gradethresholds-list"), {"year": 20640}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"year": ["Ensure this value is less than or equal to 2999."]})
        self.assertEqual(GradeThresholds.objects.filter(year=20640).count(), 0)


class MalformedIdTest(WorldTestCase):
    def test_a_word_for_an_id_without_permission_is_a_404(self):
        self.as_role("office")  # no permission on the audit trail
        response = self.client.get("/api/v1/audit-events/abc/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "Not found."})


class DeleteInUseTest(WorldTestCase):
    def test_deleting_a_row_others_refer_to_is_a_409_naming_them(self):
        self.as_role("root")
        workstation = self.world.a.workstation
        response = self.client.delete(
            reverse("api:workstation-detail", args=[workstation.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(
            response.json(),
            {
                "detail": "This record cannot be deleted: 1 contact point still refer to it. "
                "Remove or reassign them first."
            },
        )
        self.assertTrue(Workstation.objects.filter(pk=workstation.pk).exists())
        self.assertEqual(ContactPoint.objects.filter(workstation=workstation).count(), 1)

    def test_the_message_is_translated(self):
        self.as_role("root")
        team_type = TeamType.objects.get(code="fire_rescue")
        make_team(self.world.a, team_type=team_type)
        response = self.client.delete(
            reverse("api:teamtype-detail", args=[team_type.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(
            response.json(), {"detail": "无法删除此记录：仍被1 个专业保障队伍引用。请先删除或改挂这些记录。"}
        )


class UniqueRulesTest(WorldTestCase):
    def _drill_payload(self):
        return {"region": self.world.a.county.pk, "title": "防空警报试鸣", "scheduled_at": "2031-09-18T10:00:00+08:00"}

    def test_a_second_alarm_test_for_a_region_and_year_is_a_400_naming_the_field(self):
        self.as_role("root")
        url = reverse("api:alarmtestdrill-list")
        first = self.client.post(url, self._drill_payload(), format="json")
        self.assertEqual(first.status_code, 201, first.content)
        second = self.client.post(url, self._drill_payload(), format="json", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(second.status_code, 400)
        self.assertEqual(list(second.json()), ["region"])
        self.assertEqual(AlarmTestDrill.objects.filter(region=self.world.a.county).count(), 1)

    def test_a_racing_duplicate_caught_by_the_database_is_a_400_naming_the_field(self):
        when = timezone.make_aware(datetime.datetime(2032, 9, 18, 10), timezone.get_default_timezone())
        AlarmTestDrill.objects.create(region=self.world.a.county, title="一", scheduled_at=when)
        with self.assertRaises(IntegrityError) as caught, transaction.atomic():
            AlarmTestDrill.objects.create(region=self.world.a.county, title="二", scheduled_at=when)
        request = APIRequestFactory().post("/api/v1/alarm-test-drills/", HTTP_ACCEPT_LANGUAGE="en")
        view = AlarmTestDrillViewSet(action="create", request=request, format_kwarg=None, kwargs={})
        response = exception_handler(caught.exception, {"view": view, "request": request})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.data), ["region"])
        self.assertIn("region, year", str(response.data["region"][0]))


class UnstorableInputTest(WorldTestCase):
    def setUp(self):
        self.as_role("root")
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def test_a_nul_character_in_the_query_is_a_400(self):
        response = self.client.get(reverse("api:memberunit-list") + "?q=a%00b")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"detail": "The address holds a NUL character, which is never valid."})

    def test_a_nul_character_in_a_body_string_is_a_400_on_that_field(self):
        url = reverse("api:workstation-detail", args=[self.world.a.workstation.pk])
        response = self.client.patch(url, {"name": "站\u0000点"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.json()), ["name"])

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_an_oversize_body_is_a_413(self):
        body = json.dumps({"name": "x" * 2000})
        url = reverse("api:workstation-detail", args=[self.world.a.workstation.pk])
        response = self.client.patch(url, body, content_type="application/json")
        self.assertEqual(response.status_code, 413)
        self.assertEqual(
            response.json(), {"detail": "The request body is larger than the server accepts (1000 bytes)."}
        )
        self.assertNotEqual(Workstation.objects.get(pk=self.world.a.workstation.pk).name, "x" * 2000)

    @override_settings(REQUEST_MAX_BODY_BYTES=1000)
    def test_an_oversize_upload_is_a_413(self):
        response = self.client.generic(
            "POST",
            reverse("api:inspectionreport-list"),
            b"x" * 2000,
            content_type="multipart/form-data; boundary=zzz",
        )
        self.assertEqual(response.status_code, 413)
