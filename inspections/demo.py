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
from PIL import Image, ImageDraw

from . import services
from .checklists import checklist_for
from .choices import EvaluationPeriodChoices
from .choices import FacilityKindChoices as K
from .models import EvaluationFollowUp, Facility, InspectionReport, MaterialStock, PotentialVerification, TeamEvaluation

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


def seed(ctx):
    facilities = _facilities(ctx)
    _reports(ctx)
    _evaluations(ctx)
    _verifications(ctx)
    ctx.facilities = facilities
    ctx.stdout.write(
        f"  inspections: {len(facilities)} facilities, {InspectionReport.objects.count()} reports, "
        f"{TeamEvaluation.objects.count()} team evaluations, {PotentialVerification.objects.count()} verifications"
    )
