"""Demo of the command app in the demo city: officials and the command post of the city's
air-raid exercise with its rota and log, military requests at several stages (one closed, one
overdue and escalated), action plans with their requirements and revision items, a joint-office
task split to the districts, and a cadre lecture and command exercise with attendance.

Every row is found by a natural key (a name or title), so a second run changes nothing."""

import datetime
import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from inspections.choices import FacilityKindChoices
from inspections.models import Facility, MaterialStock
from teams.models import Team, TeamType
from training.models import Exercise

from . import services
from .choices import CadreSessionKindChoices, JointRecordKindChoices, ScenarioChoices
from .choices import CommandPositionChoices as P
from .choices import LogEntryKindChoices as L
from .models import (
    ActionPlan,
    CadreSession,
    CommandPosition,
    CommandPost,
    DutyShift,
    JointRecord,
    JointTask,
    MilitaryRequest,
    Official,
    PlanRequirement,
    PlanRevisionItem,
)

__all__ = ["seed"]

OFFICIALS = [
    ("张卫东", "副市长", "淄博市人民政府", P.COMMANDER, "全面指挥"),
    ("刘志刚", "部长", "淄博军分区战备建设处", P.DEPUTY, "军地协调"),
    ("孙海涛", "主任", "淄博市国防动员办公室", P.DEPUTY, "动员组织"),
    ("陈立新", "科长", "淄博市国防动员办公室", P.OPERATIONS, "作战值班与命令传达"),
    ("王秀兰", "副局长", "淄博市应急管理局", P.POTENTIAL, "潜力调查与征用"),
    ("赵建军", "副局长", "淄博市交通运输局", P.SUPPORT, "运输与物资保障"),
    ("李娜", "副部长", "中共淄博市委宣传部", P.PUBLICITY, "新闻发布与舆情"),
    ("周国强", "区长", "张店区人民政府", None, ""),
]
LOG = [
    (L.DECISION, "启动城市防空袭演练，指挥部开设。"),
    (L.ORDER, "各专业保障队伍一小时内完成集结，向作战组报到。"),
    (L.REPORT, "医疗救护队、通信保障队已完成集结，人员装备到位率98%。"),
    (L.REQUEST, "驻军请求提供运输车辆二十台，转需求对接流程。"),
]


def _photo(label):
    image = Image.new("RGB", (320, 240), (90, 120, 160))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{label}.jpg", out.getvalue(), content_type="image/jpeg")


def _officials(ctx):
    return {
        name: Official.objects.get_or_create(
            region=ctx.city, name=name, defaults={"post_title": title, "organisation": organisation}
        )[0]
        for name, title, organisation, _position, _duties in OFFICIALS
    }


def _command_post(ctx, officials):
    exercise = Exercise.objects.filter(office=ctx.city_office).order_by("-start_date").first()
    post, created = CommandPost.objects.get_or_create(
        region=ctx.city,
        name=f"{ctx.city.name}防空袭演练指挥部",
        defaults={
            "exercise": exercise,
            "location": "市国动办作战值班室",
            "opened_at": timezone.make_aware(
                datetime.datetime.combine(ctx.today - timedelta(days=20), datetime.time(8))
            ),
        },
    )
    if not created:
        return post
    for name, _title, _organisation, position, duties in OFFICIALS:
        if position:
            CommandPosition.objects.create(post=post, position=position, official=officials[name], duties=duties)
    for k, name in enumerate(("陈立新", "孙海涛", "陈立新")):
        start = post.opened_at + timedelta(hours=8 * k)
        DutyShift.objects.create(post=post, official=officials[name], start=start, end=start + timedelta(hours=8))
    office = ctx.users["office"]
    entries = [services.command_log_append(post=post, by=office, kind=kind, text=text) for kind, text in LOG]
    services.command_log_append(
        post=post, by=office, kind=L.NOTE, text="更正：集结时限为九十分钟。", corrects=entries[1]
    )
    return post


def _requests(ctx):
    liaison, office = ctx.users["liaison"], ctx.users["office"]
    teams = list(Team.objects.filter(region__code__startswith=ctx.city.code[:4]).order_by("pk")[:3])
    stocks = list(MaterialStock.objects.filter(facility__region__code__startswith=ctx.city.code[:4])[:2])
    facilities = list(
        Facility.objects.filter(region__code__startswith=ctx.city.code[:4], kind=FacilityKindChoices.EMERGENCY_SHELTER)[
            :1
        ]
    )
    plan = [
        ("驻军请求提供运输车辆保障", 0, 40),
        ("演习区域医疗救护力量需求", 3, 12),
        ("野战通信线路架设支援需求", 5, 30),
        ("部队临时驻训场地需求", 1, 9),
    ]
    for title, steps, raised_ago in plan:
        if MilitaryRequest.objects.filter(title=title).exists():
            continue
        raised_on = ctx.today - timedelta(days=raised_ago)
        request = services.military_request_raise(
            by=liaison,
            region=ctx.city,
            title=title,
            description=f"{title}：请国动办组织对接。",
            needed_by=ctx.today + timedelta(days=30),
            teams=teams,
            stocks=stocks,
            facilities=facilities,
            today=raised_on,
        )
        for step in range(steps):
            files = [_photo(f"survey-{request.pk}")] if step == 3 else []
            services.military_request_advance(
                request=request, by=office, notes="按程序办理。", owner=office, files=files, today=raised_on
            )
    # The daily beat: the stage left open since its deadline escalates step by step.
    for day in range(12, 0, -1):
        services.military_requests_sweep_overdue(today=ctx.today - timedelta(days=day))


def _plans(ctx):
    office = ctx.users["office"]
    first, created = ActionPlan.objects.get_or_create(
        region=ctx.city,
        scenario=ScenarioChoices.AIR_RAID,
        version=1,
        defaults={"title": f"{ctx.city.name}城市防空袭预案"},
    )
    if not created:
        return
    services.plan_approve(plan=first, by=office)
    second = ActionPlan.objects.create(
        region=ctx.city,
        scenario=ScenarioChoices.AIR_RAID,
        version=2,
        title=f"{ctx.city.name}城市防空袭预案",
        summary="据演练修订",
    )
    services.plan_approve(plan=second, by=office)
    ActionPlan.objects.create(
        region=ctx.city, scenario=ScenarioChoices.FLOOD, version=1, title=f"{ctx.city.name}防汛抢险动员预案"
    )
    teams = list(Team.objects.filter(region=ctx.city).order_by("pk")[:3])
    for team in teams:
        PlanRequirement.objects.create(plan=second, team=team, note="主力队伍")
    if teams:
        PlanRequirement.objects.create(
            plan=second, team=teams[0], min_headcount=team.authorised_strength + 20, note="满编"
        )
    for code, needed in (("medical_rescue", 3), ("fire_rescue", 2)):
        team_type = TeamType.objects.filter(code=code).first()
        if team_type:
            PlanRequirement.objects.create(plan=second, team_type=team_type, min_ready_teams=needed)
    for stock in MaterialStock.objects.filter(facility__region__code__startswith=ctx.city.code[:4])[:2]:
        PlanRequirement.objects.create(plan=second, stock=stock, min_quantity=stock.quantity + 100)
    exercise = Exercise.objects.filter(office=ctx.city_office).order_by("-start_date").first()
    if exercise:
        services.plan_revision_from_exercise(
            plan=second,
            exercise=exercise,
            findings=[
                ("指挥通信中断十分钟，备用链路未及时启用", "通信保障组", ctx.today + timedelta(days=60)),
                ("疏散路线与施工区域冲突", "市国动办", ctx.today + timedelta(days=30)),
            ],
            by=office,
        )
    PlanRevisionItem.objects.create(
        plan=second, finding="补充网络攻击情形处置流程", owner="市委网信办", deadline=ctx.today + timedelta(days=90)
    )


def _joint_task(ctx):
    office, liaison = ctx.users["office"], ctx.users["liaison"]
    title = "重要目标防护联合督导检查"
    if JointTask.objects.filter(title=title).exists():
        return
    task = services.joint_task_create(
        by=office,
        region=ctx.city,
        title=title,
        description="国动办与人武部联合对各区重要经济目标防护准备情况督导检查。",
        deadline=ctx.today + timedelta(days=20),
        office_owner=office,
        military_owner=liaison,
    )
    record = JointRecord.objects.create(
        region=ctx.city,
        kind=JointRecordKindChoices.SUPERVISION,
        task=task,
        subject="重点目标防护准备督导",
        findings="各区防护方案齐全，个别目标防护器材不足，已责令补齐。",
        held_on=ctx.today - timedelta(days=5),
    )
    services.joint_record_sign(record=record, by=office)
    services.joint_record_sign(record=record, by=liaison)
    assignments = services.joint_task_split(task=task, districts=ctx.districts, by=office)
    for k, assignment in enumerate(assignments[:3]):
        services.assignment_claim(assignment=assignment, by=office)
        if k < 2:
            services.assignment_report(
                assignment=assignment, by=office, report="已完成督导，问题已建档。", files=[_photo(f"joint-{k}")]
            )


def _cadres(ctx, officials):
    office = ctx.users["office"]
    lecture, created = CadreSession.objects.get_or_create(
        region=ctx.city,
        title="国防动员指挥能力专题讲座",
        defaults={"kind": CadreSessionKindChoices.LECTURE, "held_on": ctx.today - timedelta(days=45)},
    )
    exercise, _ = CadreSession.objects.get_or_create(
        region=ctx.city,
        title="防空袭指挥所桌面推演",
        defaults={
            "kind": CadreSessionKindChoices.EXERCISE,
            "held_on": ctx.today - timedelta(days=20),
            "plan": ActionPlan.objects.filter(region=ctx.city, scenario=ScenarioChoices.AIR_RAID)
            .order_by("-version")
            .first(),
        },
    )
    if not created:
        return
    for k, official in enumerate(officials.values()):
        services.cadre_attendance_record(session=lecture, official=official, by=office, present=k != 5)
        services.cadre_attendance_record(session=exercise, official=official, by=office, score=78 + 3 * k)
    services.session_add_materials(session=lecture, files=[_photo("lecture-slide")], by=office, title="讲座课件")


def seed(ctx):
    officials = _officials(ctx)
    _command_post(ctx, officials)
    _requests(ctx)
    _plans(ctx)
    _joint_task(ctx)
    _cadres(ctx, officials)
    ctx.stdout.write(
        f"  command: {Official.objects.count()} officials, {CommandPost.objects.count()} command posts, "
        f"{MilitaryRequest.objects.count()} military requests, {ActionPlan.objects.count()} action plans, "
        f"{JointTask.objects.count()} joint tasks, {CadreSession.objects.count()} cadre sessions"
    )
