"""Every endpoint of the command app: its per-role scoping matrix, from the declared attributes."""

from command.models import (
    ActionPlan,
    CadreAttendance,
    CadreSession,
    CommandPosition,
    CommandPost,
    DutyShift,
    JointRecord,
    JointTask,
    JointTaskAssignment,
    JointTaskEvidence,
    LogEntry,
    MilitaryRequest,
    Official,
    PlanRequirement,
    PlanRevisionItem,
    RequestAttachment,
    RequestStage,
    SessionMaterial,
)
from tests import factories as f
from tests.base import APIScopeTestCase

OFFICE = {"office": "write", "city_office": "write", "liaison": "read"}
JOINT = {"office": "write", "city_office": "write", "liaison": "write"}
READ = {"office": "read", "city_office": "read", "liaison": "read"}


class MilitaryRequestAPITest(APIScopeTestCase):
    model = MilitaryRequest
    basename = "militaryrequest"
    access = JOINT
    deletable = False
    update_payload = {"title": "需求已更正"}

    def make(self, side):
        return f.make_military_request(side, self.world.users["liaison"])

    def create_payload(self, side):
        return {"region": side.county.pk, "title": "请求支援", "description": "运输车辆二十台"}

    def test_the_liaison_raises_and_the_office_advances(self):
        self.as_role("liaison")
        response = self.client.post(self.list_url(), self.create_payload(self.world.a), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["stage"], "intake")
        url = self.detail_url(MilitaryRequest.objects.get(pk=response.json()["id"])) + "advance/"
        self.assertEqual(self.client.post(url, {}, format="json").status_code, 403)
        self.as_role("office")
        response = self.client.post(url, {"notes": "召开任务会"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["stage"], "task_meeting")


class RequestStageAPITest(APIScopeTestCase):
    model = RequestStage
    basename = "requeststage"
    access = READ
    writable = False

    def create_payload(self, side):
        return {}

    def make(self, side):
        return f.make_military_request(side, self.world.users["liaison"]).stages.get()


class RequestAttachmentAPITest(APIScopeTestCase):
    model = RequestAttachment
    basename = "requestattachment"
    access = READ
    writable = False

    def create_payload(self, side):
        return {}

    def make(self, side):
        stage = f.make_military_request(side, self.world.users["liaison"]).stages.get()
        return f.add_media(RequestAttachment, None, self.world.users["office"], stage=stage)

    def test_the_file_is_served_only_in_scope(self):
        inside, outside = self.make(self.world.a), self.make(self.world.b)
        self.as_role("liaison")
        self.assertEqual(self.client.get(self.detail_url(inside) + "download/").status_code, 200)
        self.assertEqual(self.client.get(self.detail_url(outside) + "download/").status_code, 404)


class OfficialAPITest(APIScopeTestCase):
    model = Official
    basename = "official"
    access = OFFICE
    update_payload = {"post_title": "区长"}

    def make(self, side):
        return f.make_official(side)

    def create_payload(self, side):
        return {"region": side.county.pk, "name": "王明", "post_title": "副区长", "organisation": "区人民政府"}


class CommandPostAPITest(APIScopeTestCase):
    model = CommandPost
    basename = "commandpost"
    access = OFFICE
    update_payload = {"location": "区人武部作战值班室"}

    def make(self, side):
        return f.make_command_post(side)

    def create_payload(self, side):
        return {"region": side.county.pk, "name": "防空袭指挥部"}


class CommandPositionAPITest(APIScopeTestCase):
    model = CommandPosition
    basename = "commandposition"
    access = OFFICE
    update_payload = {"duties": "组织协调"}

    def make(self, side):
        return CommandPosition.objects.create(
            post=f.make_command_post(side), position="deputy", official=f.make_official(side)
        )

    def create_payload(self, side):
        return {"post": f.make_command_post(side).pk, "position": "commander", "official": f.make_official(side).pk}


class DutyShiftAPITest(APIScopeTestCase):
    model = DutyShift
    basename = "dutyshift"
    access = OFFICE
    update_payload = {"end": "2026-06-01T22:00:00+08:00"}

    def make(self, side):
        return DutyShift.objects.create(
            post=f.make_command_post(side),
            official=f.make_official(side),
            start="2026-06-01T08:00:00+08:00",
            end="2026-06-01T20:00:00+08:00",
        )

    def create_payload(self, side):
        return {
            "post": f.make_command_post(side).pk,
            "official": f.make_official(side).pk,
            "start": "2026-06-01T08:00:00+08:00",
            "end": "2026-06-01T20:00:00+08:00",
        }


class LogEntryAPITest(APIScopeTestCase):
    """Appended by office staff; changed or deleted by no one (405 where the role holds the
    permission — only a superuser does — 403 where it does not, 404 beyond its scope)."""

    model = LogEntry
    basename = "logentry"
    access = OFFICE
    update_payload = {"text": "改写"}

    def make(self, side):
        return f.make_log_entry(side, self.world.users["office"])

    def create_payload(self, side):
        return {"post": f.make_command_post(side).pk, "kind": "decision", "text": "启动一级响应"}

    def test_update_per_role(self):
        entry = self.make(self.world.a)
        for role in [*self.access, "root"]:
            with self.subTest(role=role):
                self.as_role(role)
                expected = 405 if role == "root" else 403
                for method in ("put", "patch"):
                    response = getattr(self.client, method)(self.detail_url(entry), self.update_payload, format="json")
                    self.assertEqual(response.status_code, expected, response.content)
        entry.refresh_from_db()
        self.assertNotEqual(entry.text, "改写")

    def test_delete_per_role(self):
        entry = self.make(self.world.a)
        for role in [*self.access, "root"]:
            with self.subTest(role=role):
                self.as_role(role)
                self.assertEqual(self.client.delete(self.detail_url(entry)).status_code, 405 if role == "root" else 403)
        self.assertTrue(LogEntry.objects.filter(pk=entry.pk).exists())

    def test_author_and_time_are_the_writers(self):
        self.as_role("office")
        response = self.client.post(
            self.list_url(), {**self.create_payload(self.world.a), "author": self.world.superuser.pk}, format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["author"]["id"], self.world.users["office"].pk)


class ActionPlanAPITest(APIScopeTestCase):
    model = ActionPlan
    basename = "actionplan"
    access = OFFICE
    update_payload = {"summary": "修订后的预案"}

    def make(self, side):
        return f.make_action_plan(side)

    def create_payload(self, side):
        return {"region": side.county.pk, "scenario": "flood", "title": "防汛预案", "version": f.n()}


class PlanRequirementAPITest(APIScopeTestCase):
    model = PlanRequirement
    basename = "planrequirement"
    access = OFFICE
    update_payload = {"note": "主力"}

    def make(self, side):
        return PlanRequirement.objects.create(plan=f.make_action_plan(side), team=f.make_team(side), min_headcount=3)

    def create_payload(self, side):
        return {"plan": f.make_action_plan(side).pk, "team": f.make_team(side).pk, "min_headcount": 3}


class PlanRevisionItemAPITest(APIScopeTestCase):
    model = PlanRevisionItem
    basename = "planrevisionitem"
    access = OFFICE
    update_payload = {"done": True}

    def make(self, side):
        return PlanRevisionItem.objects.create(
            plan=f.make_action_plan(side), finding="通信中断", owner="通信保障组", deadline="2026-09-30"
        )

    def create_payload(self, side):
        return {
            "plan": f.make_action_plan(side).pk,
            "finding": "疏散路线拥堵",
            "owner": "区人防办",
            "deadline": "2026-09-30",
        }


class JointTaskAPITest(APIScopeTestCase):
    model = JointTask
    basename = "jointtask"
    access = JOINT
    deletable = False
    update_payload = {"description": "联合督导"}

    def make(self, side):
        return f.make_joint_task(side)

    def create_payload(self, side):
        return {"region": side.county.pk, "title": "潜力数据联合核查"}


class JointTaskAssignmentAPITest(APIScopeTestCase):
    model = JointTaskAssignment
    basename = "jointtaskassignment"
    access = READ
    writable = False

    def create_payload(self, side):
        return {}

    def make(self, side):
        return f.make_assignment(side)


class JointTaskEvidenceAPITest(APIScopeTestCase):
    model = JointTaskEvidence
    basename = "jointtaskevidence"
    access = READ
    writable = False

    def create_payload(self, side):
        return {}

    def make(self, side):
        return f.add_media(JointTaskEvidence, None, self.world.users["office"], assignment=f.make_assignment(side))


class CadreSessionAPITest(APIScopeTestCase):
    model = CadreSession
    basename = "cadresession"
    access = OFFICE
    update_payload = {"title": "应急指挥专题讲座"}

    def make(self, side):
        return f.make_cadre_session(side)

    def create_payload(self, side):
        return {"region": side.county.pk, "kind": "exercise", "title": "指挥所演练", "held_on": "2026-06-02"}


class CadreAttendanceAPITest(APIScopeTestCase):
    model = CadreAttendance
    basename = "cadreattendance"
    access = OFFICE
    update_payload = {"score": 90}

    def make(self, side):
        return CadreAttendance.objects.create(session=f.make_cadre_session(side), official=f.make_official(side))

    def create_payload(self, side):
        return {"session": f.make_cadre_session(side).pk, "official": f.make_official(side).pk, "score": 85}


class SessionMaterialAPITest(APIScopeTestCase):
    model = SessionMaterial
    basename = "sessionmaterial"
    access = READ
    writable = False

    def create_payload(self, side):
        return {}

    def make(self, side):
        return f.add_media(SessionMaterial, None, self.world.users["office"], session=f.make_cadre_session(side))

    def test_the_library_is_served_only_in_scope(self):
        inside, outside = self.make(self.world.a), self.make(self.world.b)
        self.as_role("liaison")
        self.assertEqual(self.client.get(self.detail_url(inside) + "download/").status_code, 200)
        self.assertEqual(self.client.get(self.detail_url(outside) + "download/").status_code, 404)
        self.login("liaison")
        self.assertEqual(self.client.get(f"/portal/command/materials/{outside.pk}/").status_code, 404)


class JointRecordAPITest(APIScopeTestCase):
    model = JointRecord
    basename = "jointrecord"
    access = JOINT
    deletable = False
    update_payload = {"findings": "经联合核查，数据准确"}

    def make(self, side):
        return JointRecord.objects.create(
            region=side.county, kind="supervision", subject="重要目标防护", findings="基本到位", held_on="2026-06-01"
        )

    def create_payload(self, side):
        return {
            "region": side.county.pk,
            "kind": "verification",
            "subject": "储备库潜力数据",
            "findings": "数量相符",
            "held_on": "2026-06-02",
        }

    def test_it_stands_with_both_signatures(self):
        record = self.make(self.world.a)
        url = self.detail_url(record) + "sign/"
        self.as_role("liaison")
        self.assertEqual(self.client.post(url).status_code, 200)
        self.assertEqual(self.client.post(url).status_code, 400)  # that side again
        self.as_role("office")
        body = self.client.post(url).json()
        self.assertEqual(
            (body["military_signed_by"]["id"], body["office_signed_by"]["id"]),
            (self.world.users["liaison"].pk, self.world.users["office"].pk),
        )
