"""Demo inspections: the facilities of every grid of the city, the demo inspector's reports with
photos, rectification orders open, overdue (escalated by the daily sweep), awaiting verification
and closed, team evaluations with follow-ups, and verified reserve warehouses.

Everything is found by a natural key (facility by region and name, a report by facility and
inspector, an evaluation by team and period, a verification by warehouse), so a second run
changes nothing."""

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from . import cycles, services
from .checklists import checklist_for
from .choices import CycleMonthsChoices, EvaluationPeriodChoices
from .choices import FacilityKindChoices as K
from .models import (
    EvaluationFollowUp,
    Facility,
    InspectionCycle,
    InspectionReport,
    MaterialStock,
    PotentialVerification,
    TeamEvaluation,
)

__all__ = ["seed"]

PARTIES = [
    "淄博华信物业管理有限公司",
    "淄博鲁中物业服务有限公司",
    "淄博齐盛物业管理有限公司",
    "淄博城市资产运营有限公司",
]
STOCKS = [
    ("帐篷", 300, "顶"),
    ("折叠床", 500, "张"),
    ("棉被", 800, "床"),
    ("发电机", 12, "台"),
    ("应急照明灯", 200, "台"),
]
# Equipment and reserves held at every contact point.
CONTACT_POINT_RESERVES = [("应急照明灯", 10, "台"), ("逃生绳", 20, "根"), ("手持扩音器", 2, "个"), ("急救包", 5, "个")]
# The demo inspector's village: (name, kind, address)
GRID_EXTRA = [
    ("车站街道人防地下商场", K.CIVIL_DEFENCE_WORKS, "华光路88号地下一层"),
    ("第一社区应急避难场所", K.EMERGENCY_SHELTER, "第一社区文化广场"),
    ("第一社区东门防空警报器", K.ALARM_SIREN, "第一社区东门岗亭楼顶"),
]
MILITARY = {"370303000000": "张店区某通信台站", "370305000000": "临淄区某油料仓库"}


def _facility(region, name, kind, address, rng):
    party = PARTIES[rng.randrange(len(PARTIES))]
    facility, _ = Facility.objects.get_or_create(
        region=region,
        name=name,
        defaults={
            "kind": kind,
            "address": address,
            "latitude": round(36.78 + rng.random() / 10, 6),
            "longitude": round(118.0 + rng.random() / 10, 6),
            "responsible_party": party,
            "responsible_contact": rng.choice("王李张刘陈") + rng.choice(["建国", "秀英", "志强", "丽华", "海涛"]),
            "responsible_phone": f"139{rng.randint(10000000, 99999999)}",
        },
    )
    return facility


def _photo(label, rng):
    image = Image.new("RGB", (480, 360), (rng.randrange(80, 200), rng.randrange(80, 200), rng.randrange(80, 200)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 440, 320), outline=(255, 255, 255), width=6)
    draw.text((60, 60), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{label}.jpg", out.getvalue(), content_type="image/jpeg")


def _answers(kind, defects):
    return {
        key: {"result": "defect", "note": "需整改"} if key in defects else {"result": "ok", "note": ""}
        for key, _label in checklist_for(kind)
    }


def _facilities(ctx):
    facilities = []
    for village in ctx.villages:
        rng = random.Random(village.code)
        facilities.append(
            _facility(
                village,
                f"{village.parent.name}{village.name}人防工程",
                K.CIVIL_DEFENCE_WORKS,
                f"{village.name}3号楼地下室",
                rng,
            )
        )
        facilities.append(
            _facility(
                village,
                f"{village.parent.name}{village.name}防空警报器",
                K.ALARM_SIREN,
                f"{village.name}综合楼楼顶",
                rng,
            )
        )
    for township in ctx.townships:
        rng = random.Random(township.code)
        facilities.append(
            _facility(township, f"{township.name}应急避难场所", K.EMERGENCY_SHELTER, f"{township.name}中心广场", rng)
        )
    for district in ctx.districts:
        rng = random.Random(district.code)
        first_village = next(v for v in ctx.villages if v.code.startswith(district.code[:6]))
        warehouse = _facility(
            first_village, f"{district.name}应急物资储备库", K.RESERVE_WAREHOUSE, f"{first_village.name}物流园", rng
        )
        facilities.append(warehouse)
        for material, quantity, unit in STOCKS:
            MaterialStock.objects.get_or_create(
                facility=warehouse, material_type=material, defaults={"quantity": quantity, "unit": unit}
            )
        if district.code in MILITARY:
            township = next(t for t in ctx.townships if t.code.startswith(district.code[:6]))
            facilities.append(_facility(township, MILITARY[district.code], K.MILITARY_FACILITY, "保密", rng))
    # The grid's own posts, inspected against their standard build: each workstation and contact point.
    from mobilization.models import ContactPoint, Workstation

    for station in Workstation.objects.filter(region__in=ctx.townships).select_related("region"):
        rng = random.Random(f"station:{station.region_id}")
        facilities.append(
            _facility(station.region, station.name, K.WORKSTATION, f"{station.region.name}便民服务中心", rng)
        )
    for point in ContactPoint.objects.filter(region__in=ctx.villages).select_related("region"):
        rng = random.Random(f"point:{point.region_id}")
        if not point.head_name:
            point.head_name = "书记" + "王李张刘陈赵孙周"[rng.randrange(8)] + "某"
            point.head_title = "村（社区）党支部书记"
            point.save()
        site = _facility(point.region, point.name, K.CONTACT_POINT, f"{point.region.name}村（居）委会", rng)
        facilities.append(site)
        for material, quantity, unit in CONTACT_POINT_RESERVES:
            MaterialStock.objects.get_or_create(
                facility=site, material_type=material, defaults={"quantity": quantity, "unit": unit}
            )
    inspector_village = ctx.users["inspector"].profile.region
    for name, kind, address in GRID_EXTRA:
        facilities.append(_facility(inspector_village, name, kind, address, random.Random(name)))
    return facilities


def _reports(ctx):
    """The demo inspector's reports on their grid, and the orders the director issued from them."""
    inspector, director = ctx.users["inspector"], ctx.users["director"]
    today = ctx.today
    grid = list(Facility.objects.filter(region=inspector.profile.region).order_by("name"))
    # (days ago inspected, defects, severity, findings, order: None | (issued days ago, deadline days from issue, fate))
    plan = [
        (40, {"seals", "rust"}, "major", "防护密闭门密封条老化脱落，门框锈蚀。", (38, 20, "closed")),
        (25, {"sound_test"}, "major", "警报器鸣响试验声音微弱，疑似功放故障。", (24, 10, "overdue")),
        (12, {"signage", "lighting"}, "minor", "疏散指示标志缺失两处，应急照明一处不亮。", (11, 8, "overdue")),
        (6, {"evacuation_routes"}, "minor", "疏散通道堆放杂物。", (5, 14, "completed")),
        (3, {"stock_records"}, "minor", "部分物资台账与实物不符。", (2, 21, "open")),
        (1, set(), "none", "检查未发现问题。", None),
    ]
    sweep_from = None
    for index, facility in enumerate(grid[: len(plan)]):
        if InspectionReport.objects.filter(facility=facility, inspector=inspector).exists():
            continue
        days, defects, severity, findings, order_plan = plan[index]
        defects = {d for d in defects if d in dict(checklist_for(facility.kind))} or (
            {checklist_for(facility.kind)[0][0]} if severity != "none" else set()
        )
        rng = random.Random(facility.name)
        report = services.report_save(
            by=inspector,
            facility=facility,
            checklist=_answers(facility.kind, defects),
            findings=findings,
            severity=severity,
            inspected_on=today - timedelta(days=days),
            submit=True,
            files=[_photo(f"report-{index}-{n}", rng) for n in range(1 + index % 2)],
        )
        if order_plan is None:
            continue  # left for the director to review
        issued_ago, allowed, fate = order_plan
        issued_on = today - timedelta(days=issued_ago)
        order = services.rectification_issue(
            by=director,
            report=report,
            requirement=f"请{facility.responsible_party}于期限内整改：{findings}",
            deadline=issued_on + timedelta(days=allowed),
            today=issued_on,
        )
        if fate in ("completed", "closed"):
            services.rectification_complete(
                order=order,
                by=director,
                note="已按要求整改完毕。",
                completed_on=min(order.deadline - timedelta(days=2), today - timedelta(days=1)),
                files=[_photo(f"after-{index}", rng)],
            )
        if fate == "closed":
            services.rectification_verify(order=order, by=director, note="复查合格，予以销号。", today=order.deadline)
        if fate == "overdue":
            start = order.deadline + timedelta(days=1)
            sweep_from = min(sweep_from or start, start)
    # The daily beat over the days since the first deadline passed: each order escalates step by step.
    day = sweep_from
    while day is not None and day <= today:
        services.rectifications_sweep_overdue(today=day)
        day += timedelta(days=1)


def _evaluations(ctx):
    office = ctx.users["office"]
    year = ctx.today.year - 1
    for team in list(getattr(ctx, "teams", []))[:40]:
        rng = random.Random(f"evaluation:{team.name}")
        scores = {field: rng.randint(11, 20) for field in TeamEvaluation.SCORE_FIELDS}
        evaluation, created = TeamEvaluation.objects.get_or_create(
            team=team,
            year=year,
            period=EvaluationPeriodChoices.YEAR_END,
            defaults={**scores, "evaluated_on": ctx.today.replace(year=year, month=12, day=10), "evaluated_by": office},
        )
        if not created:
            continue
        if evaluation.equipment_score < 15:
            evaluation.findings = "装备配备不足，部分器材未按期保养。"
            evaluation.save()
            EvaluationFollowUp.objects.create(
                evaluation=evaluation,
                item="补齐缺配装备并建立保养台账",
                owner=f"{team.name}队长",
                deadline=ctx.today.replace(year=year + 1, month=3, day=31),
            )
        if evaluation.personnel_score < 15:
            EvaluationFollowUp.objects.create(
                evaluation=evaluation,
                item="补充缺编人员，完成岗前训练",
                owner=f"{team.name}所属单位",
                deadline=ctx.today.replace(year=year + 1, month=6, day=30),
            )


def _verifications(ctx):
    for k, warehouse in enumerate(Facility.objects.filter(kind=K.RESERVE_WAREHOUSE, region__in=ctx.villages)):
        if PotentialVerification.objects.filter(facility=warehouse).exists():
            continue
        rng = random.Random(f"verification:{warehouse.name}")
        lines = []
        for stock in warehouse.stocks.all():
            found = stock.quantity
            if k % 3 == 1 and rng.random() < 0.4:
                found = int(stock.quantity) * rng.choice((8, 9)) // 10
            lines.append({"stock": stock, "verified_quantity": found})
        services.potential_verification_record(
            facility=warehouse,
            verified_on=ctx.today - timedelta(days=15 + 37 * k % 240),
            by=ctx.users["office"],
            lines=lines,
        )


def _cycles(ctx):
    """Cycles and coverage: the city inspects shelters half-yearly, Linzi its works monthly; of the
    grids (the demo inspector's aside, with its own reports) two in four fully inspected this
    cycle, one inspected last cycle only (due), one never (overdue, escalated by the daily sweep)."""
    city = ctx.townships[0].parent.parent
    InspectionCycle.objects.get_or_create(
        kind=K.EMERGENCY_SHELTER, region=city, defaults={"months": CycleMonthsChoices.HALF_YEARLY}
    )
    linzi = next((d for d in ctx.districts if d.code == "370305000000"), None)
    if linzi is not None:
        InspectionCycle.objects.get_or_create(
            kind=K.CIVIL_DEFENCE_WORKS, region=linzi, defaults={"months": CycleMonthsChoices.MONTHLY}
        )
    # The facilities have been on the books for over a year: a cycle missed counts as overdue.
    cutoff = timezone.now() - timedelta(days=400)
    Facility.objects.filter(created__gt=cutoff).update(created=cutoff)
    today, office = ctx.today, ctx.users["office"]
    table = cycles.cycle_table()
    inspector_village = ctx.users["inspector"].profile.region_id
    grids = [v for v in [*ctx.villages, *ctx.townships] if v.code != inspector_village]
    for index, village in enumerate(grids):
        mode = (0, 0, 1, 2)[index % 4]  # 0 covered, 1 due (inspected last cycle), 2 overdue (never)
        if mode == 2:
            continue
        for facility in Facility.objects.filter(region=village).order_by("name"):
            if InspectionReport.objects.filter(facility=facility).exists():
                continue
            months, _remind = cycles.cycle_for(table, facility.kind, facility.region_id)
            start, _end = cycles.cycle_bounds(today, months)
            if mode == 1:
                start = cycles.cycle_bounds(start - timedelta(days=1), months)[0]
            services.report_save(
                by=office,
                facility=facility,
                checklist=_answers(facility.kind, set()),
                findings="例行巡查，未发现问题。",
                inspected_on=max(start, today - timedelta(days=3)) if mode == 0 else start,
                submit=True,
            )
    services.inspections_remind_due(today=today)
    # The daily sweep caught up (one level per run): a second seeding finds nothing left to do.
    for _step in range(4):
        if not services.inspections_sweep_overdue(today=today)["escalated"]:
            break


def seed(ctx):
    facilities = _facilities(ctx)
    _reports(ctx)
    _cycles(ctx)
    _evaluations(ctx)
    _verifications(ctx)
    ctx.facilities = facilities
    ctx.stdout.write(
        f"  inspections: {len(facilities)} facilities, {InspectionReport.objects.count()} reports, "
        f"{TeamEvaluation.objects.count()} team evaluations, {PotentialVerification.objects.count()} verifications"
    )
