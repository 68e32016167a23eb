"""The test suite's one set of makers: each builds a valid row on a side of the `World`
(`tests.base`), with a fresh name or number from one counter so that rows never collide.

Side A is in everyone's scope, side B in no one's: `make_team(world.b)` is an out-of-scope team.
App test folders import from here; nothing else in the suite creates these rows by hand.
"""

import datetime
import io
import itertools

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from inspections.choices import FacilityKindChoices, ReportStatusChoices
from inspections.models import (
    Facility,
    InspectionMedia,
    InspectionReport,
    MaterialStock,
    Rectification,
    RectificationEvidence,
    TeamEvaluation,
)
from members.choices import MembershipRoleChoices, UnavailabilityReasonChoices
from members.models import Membership, Qualification, QualificationKind
from members.services import person_create
from mobilization.choices import SectorChoices, UnitKindChoices
from mobilization.models import MemberUnit
from teams.models import (
    Activation,
    ActivationTeam,
    Equipment,
    EquipmentItem,
    Team,
    TeamCategory,
    TeamType,
    TypeEquipmentRequirement,
    TypeQualificationRequirement,
)
from tests.base import make_credit_code, make_id_number
from training.models import AlarmTestDrill, Assessment, Attendance, Competition, Exercise, TrainingPlan

__all__ = [
    "add_equipment",
    "add_media",
    "add_member",
    "add_row",
    "as_declared",
    "jpeg_bytes",
    "make_action_plan",
    "make_activation",
    "make_assignment",
    "make_cadre_session",
    "make_command_post",
    "make_joint_task",
    "make_log_entry",
    "make_military_request",
    "make_official",
    "make_assessment",
    "make_attendance",
    "make_change",
    "make_competition",
    "make_credit_code",
    "make_drill",
    "make_evaluation",
    "make_evidence",
    "make_exercise",
    "make_facility",
    "make_id_number",
    "make_kind",
    "make_media",
    "make_order",
    "make_person",
    "make_plan",
    "make_report",
    "make_team",
    "make_type",
    "make_unit",
    "make_warehouse",
    "n",
    "new_id_number",
    "next_year",
    "photo_upload",
    "verify",
]

_n = itertools.count(1)


def n():
    """A number never handed out before in this test run."""
    return next(_n)


# --- units, people and teams -----------------------------------------------------------------------


def make_unit(side, *, managed_by=None, **fields):
    """A health-sector enterprise of `side`'s county, managed by `managed_by` (by no unit by default)."""
    return MemberUnit.objects.create(
        name=fields.pop("name", f"单位{n()}"),
        credit_code=make_credit_code(),
        kind=fields.pop("kind", UnitKindChoices.ENTERPRISE),
        sector=fields.pop("sector", SectorChoices.HEALTH),
        region=fields.pop("region", side.county),
        managed_by=managed_by,
        **fields,
    )


def new_id_number():
    """A valid ID number never used before in this test run."""
    i = n()
    return make_id_number(i % 1000, birth=f"19{70 + (i // 1000) % 30}0101")


def make_person(unit, *, id_number=None, name=None, **fields):
    """A person employed by `unit`, through the service: a real ID number, encrypted and hashed."""
    return person_create(name=name or f"人员{n()}", id_number=id_number or new_id_number(), employer=unit, **fields)


def make_kind():
    i = n()
    return QualificationKind.objects.create(code=f"kind{i}", name=f"资格{i}")


def make_type(*, min_headcount=4, share=50, quantity=2):
    """A type needing `min_headcount` members, `share`% holding kind K, `quantity` serviceable item I."""
    i = n()
    category = TeamCategory.objects.get_or_create(code="test", defaults={"name": "测试类别"})[0]
    team_type = TeamType.objects.create(
        category=category, code=f"t{i}", name=f"测试类型{i}", min_headcount=min_headcount
    )
    kind = make_kind()
    item = EquipmentItem.objects.create(code=f"i{i}", name=f"装备{i}", unit="台")
    TypeQualificationRequirement.objects.create(team_type=team_type, kind=kind, min_share=share)
    TypeEquipmentRequirement.objects.create(team_type=team_type, item=item, min_quantity=quantity)
    return team_type, kind, item


def make_team(side, *, team_type=None, unit=None, name=None, **fields):
    """An active county-level fire rescue team of `side`'s unit, 12 strong, unless told otherwise."""
    return Team.objects.create(
        name=name or f"测试队{n()}",
        team_type=team_type or TeamType.objects.get(code="fire_rescue"),
        level=fields.pop("level", "county"),
        region=fields.pop("region", side.county),
        unit=unit or side.unit,
        authorised_strength=fields.pop("authorised_strength", 12),
        **fields,
    )


def add_member(
    team,
    *,
    fit=True,
    kinds=(),
    expires=None,
    issued=None,
    joined=datetime.date(2020, 1, 1),
    left=None,
    role=MembershipRoleChoices.MEMBER,
    away_until=None,
    **person_fields,
):
    """A new person employed by the team's unit, in `team`, holding a qualification of each of `kinds`;
    `away_until` makes them unavailable (travelling) until that date."""
    person_fields.setdefault("physical_condition", "fit" if fit else "unfit")
    if away_until:
        person_fields.update(unavailable_until=away_until, unavailable_reason=UnavailabilityReasonChoices.TRAVEL)
    person = make_person(team.unit, **person_fields)
    Membership.objects.create(person=person, team=team, role=role, joined=joined, left=left)
    issued = issued or timezone.localdate() - datetime.timedelta(days=365)
    for kind in kinds:
        Qualification.objects.create(person=person, kind=kind, issued=issued, expires=expires)
    return person


def add_equipment(team, item, quantity, condition="serviceable"):
    return Equipment.objects.create(team=team, item=item, quantity=quantity, condition=condition)


def make_activation(side, *, teams=None):
    """An emergency activation of `side`'s county calling out `teams` (one new team by default)."""
    activation = Activation.objects.create(title=f"启动{n()}", reason="暴雨", region=side.county)
    for team in teams or [make_team(side)]:
        ActivationTeam.objects.create(activation=activation, team=team, notified_at=timezone.now())
    return activation


def add_row(team):
    """A change row adding a new person to `team`."""
    return {"action": "add", "team": str(team.pk), "name": f"新队员{n()}", "id_number": new_id_number()}


def make_change(by, side):
    """A pending request of `side`'s unit adding one new person to a new team of that side."""
    from members.services import roster_change_submit

    return roster_change_submit(by=by, rows=[(1, add_row(make_team(side)))], source="api", unit=side.unit)


# --- training ------------------------------------------------------------------------------------


def next_year():
    """A valid plan year (2001-2099), distinct from the last 98 handed out: enough for one test."""
    return 2001 + n() % 99


def make_plan(side, **fields):
    return TrainingPlan.objects.create(
        office=fields.pop("office", side.office), year=fields.pop("year", next_year()), title=f"训练计划{n()}", **fields
    )


def make_exercise(side, *, teams=None, start=datetime.date(2026, 5, 10), **fields):
    """A completed county single-subject exercise of `side`'s office (one new team by default)."""
    exercise = Exercise.objects.create(
        title=fields.pop("title", f"演练{n()}"),
        level=fields.pop("level", "county"),
        kind=fields.pop("kind", "single_subject"),
        subject=fields.pop("subject", "消防救援"),
        office=fields.pop("office", side.office),
        start_date=start,
        end_date=fields.pop("end_date", start),
        status=fields.pop("status", "completed"),
        **fields,
    )
    exercise.teams.set(teams if teams is not None else [make_team(side)])
    return exercise


def make_attendance(side, **fields):
    exercise = make_exercise(side)
    team = exercise.teams.get()
    return Attendance.objects.create(exercise=exercise, team=team, person=add_member(team), **fields)


def make_assessment(side, score="85.00", **fields):
    exercise = make_exercise(side)
    return Assessment.objects.create(exercise=exercise, team=exercise.teams.get(), score=score, **fields)


def make_competition(side):
    competition = Competition.objects.create(name=f"技能竞赛{n()}", year=2026, office=side.office)
    make_exercise(side, kind="competition", competition=competition, stage=1)
    return competition


def make_drill(side, *, year=None, teams=None, **fields):
    """A 9.18 alarm test of `side`'s county at 10:00 on 18 September of `year` (a fresh year by default)."""
    year = year or 2100 + n() % 7000  # distinct within a test, and a year a date can hold however long the run
    drill = AlarmTestDrill.objects.create(
        region=fields.pop("region", side.county),
        title=fields.pop("title", f"{year}年防空警报试鸣"),
        scheduled_at=timezone.make_aware(datetime.datetime(year, 9, 18, 10, 0), timezone.get_default_timezone()),
        **fields,
    )
    drill.teams.set(teams if teams is not None else [make_team(side)])
    return drill


# --- inspections ---------------------------------------------------------------------------------


def make_facility(side, *, kind=FacilityKindChoices.CIVIL_DEFENCE_WORKS, region=None, **fields):
    return Facility.objects.create(
        kind=kind,
        name=fields.pop("name", f"设施{n()}"),
        address=fields.pop("address", "测试路1号"),
        region=region or side.village,
        responsible_party=fields.pop("responsible_party", "某物业管理有限公司"),
        responsible_contact="张经理",
        responsible_phone="13900000000",
        **fields,
    )


def make_report(side, inspector, *, status=ReportStatusChoices.SUBMITTED, facility=None, **fields):
    return InspectionReport.objects.create(
        facility=facility or make_facility(side),
        inspector=inspector,
        status=status,
        findings=fields.pop("findings", "防护门密封条老化"),
        severity=fields.pop("severity", "minor"),
        **fields,
    )


def make_order(side, by, *, report=None, deadline=None, **fields):
    report = report or make_report(side, by)
    return Rectification.objects.create(
        report=report,
        facility=report.facility,
        responsible_party=report.facility.responsible_party,
        requirement=fields.pop("requirement", "更换密封条"),
        deadline=deadline or timezone.localdate() + datetime.timedelta(days=10),
        issued_by=by,
        **fields,
    )


def jpeg_bytes(*, exif_gps=False, size=(64, 48)):
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps = {1: "N", 2: (36.0, 48.0, 0.0), 3: "E", 4: (118.0, 3.0, 0.0)}
        exif[0x8825] = gps  # GPSInfo
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def photo_upload(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def add_media(model, parent, by, **parent_field):
    obj = model(kind="photo", content_type="image/jpeg", size=10, uploaded_by=by, **parent_field)
    obj.file.save("x.jpg", ContentFile(jpeg_bytes()), save=False)
    obj.save()
    return obj


def make_media(side, by):
    return add_media(InspectionMedia, None, by, report=make_report(side, by))


def make_evidence(side, by):
    return add_media(RectificationEvidence, None, by, rectification=make_order(side, by))


def make_evaluation(side, **fields):
    scores = {f: fields.pop(f, 16) for f in TeamEvaluation.SCORE_FIELDS}
    return TeamEvaluation.objects.create(team=make_team(side), year=2026, period="year_end", **scores, **fields)


def make_warehouse(side, stocks=(("帐篷", 100, "顶"), ("发电机", 5, "台"))):
    facility = make_facility(side, kind=FacilityKindChoices.RESERVE_WAREHOUSE)
    for material, quantity, unit in stocks:
        MaterialStock.objects.create(facility=facility, material_type=material, quantity=quantity, unit=unit)
    return facility


def as_declared(warehouse, **changed):
    """Found lines for every declared stock of `warehouse`, as declared unless `changed` gives a
    quantity found by material type."""
    return [
        {"stock": stock, "verified_quantity": changed.get(stock.material_type, stock.quantity)}
        for stock in warehouse.stocks.all()
    ]


def verify(warehouse, *, verified_on, **fields):
    """A verification of `warehouse` that found every declared stock line as declared (unless `lines` given)."""
    from inspections.services import potential_verification_record

    fields.setdefault("lines", as_declared(warehouse))
    return potential_verification_record(facility=warehouse, verified_on=verified_on, **fields)


# --- command: military requests, command posts, plans, joint tasks, cadres ---------------------------------


def _command_models():
    import command.models as cm

    return cm


def make_official(side, **fields):
    cm = _command_models()
    return cm.Official.objects.create(
        region=fields.pop("region", side.county),
        name=fields.pop("name", f"干部{n()}"),
        post_title=fields.pop("post_title", "副区长"),
        organisation=fields.pop("organisation", "区人民政府"),
        **fields,
    )


def make_military_request(side, by, **fields):
    from command.services import military_request_raise

    return military_request_raise(
        by=by,
        region=fields.pop("region", side.county),
        title=fields.pop("title", f"军事需求{n()}"),
        description=fields.pop("description", "需要运输车辆二十台"),
        **fields,
    )


def make_command_post(side, **fields):
    cm = _command_models()
    return cm.CommandPost.objects.create(region=fields.pop("region", side.county), name=f"指挥部{n()}", **fields)


def make_log_entry(side, by, *, post=None, **fields):
    from command.services import command_log_append

    return command_log_append(
        post=post or make_command_post(side),
        by=by,
        kind=fields.pop("kind", "order"),
        text=fields.pop("text", f"命令{n()}"),
        **fields,
    )


def make_action_plan(side, **fields):
    cm = _command_models()
    return cm.ActionPlan.objects.create(
        region=fields.pop("region", side.county),
        scenario=fields.pop("scenario", "air_raid"),
        title=fields.pop("title", f"防空袭预案{n()}"),
        version=fields.pop("version", n()),
        **fields,
    )


def make_joint_task(side, **fields):
    cm = _command_models()
    return cm.JointTask.objects.create(region=fields.pop("region", side.county), title=f"联合任务{n()}", **fields)


def make_assignment(side, **fields):
    cm = _command_models()
    return cm.JointTaskAssignment.objects.create(
        task=fields.pop("task", None) or make_joint_task(side), district=side.county, **fields
    )


def make_cadre_session(side, **fields):
    cm = _command_models()
    return cm.CadreSession.objects.create(
        region=fields.pop("region", side.county),
        kind=fields.pop("kind", "lecture"),
        title=fields.pop("title", f"指挥能力培训{n()}"),
        held_on=fields.pop("held_on", datetime.date(2026, 6, 1)),
        **fields,
    )
