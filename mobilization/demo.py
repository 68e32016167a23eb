"""Demo data of the shared core: Zibo with its real districts and counties, townships and
villages, the city and district offices, workstations and contact points, ~180 member units
and one user per role. Every row is found by a natural key, so a second run changes nothing."""

import random

from mobilization.choices import OfficeLevelChoices, RegionLevelChoices, RoleChoices
from mobilization.models import ContactPoint, MemberUnit, MemberUnitContact, Office, Region, Workstation
from mobilization.services import user_assign_role
from mobilization.validators import credit_code_check_character

__all__ = ["seed"]

PROVINCE = ("370000000000", "山东省")
CITY = ("370300000000", "淄博市")
# The city's real districts and counties with a few of their real townships/streets.
DISTRICTS = [
    ("370302000000", "淄川区", ["般阳路街道", "松龄路街道", "钟楼街道"]),
    ("370303000000", "张店区", ["车站街道", "公园街道", "和平街道"]),
    ("370304000000", "博山区", ["城东街道", "城西街道", "山头街道"]),
    ("370305000000", "临淄区", ["闻韶街道", "雪宫街道", "辛店街道"]),
    ("370306000000", "周村区", ["丝绸路街道", "大街街道", "青年路街道"]),
    ("370321000000", "桓台县", ["索镇街道", "少海街道", "起凤镇"]),
    ("370322000000", "高青县", ["田镇街道", "芦湖街道", "青城镇"]),
    ("370323000000", "沂源县", ["历山街道", "南麻街道", "鲁村镇"]),
]
VILLAGE_NAMES = ["第一社区", "第二社区", "新华村"]

# Municipal member units: (name, kind, sector); they manage the enterprises, institutions
# and social organisations listed under them in MANAGED.
MUNICIPAL_UNITS = [
    ("淄博市公安局", "government", "public_security"),
    ("淄博市卫生健康委员会", "government", "health"),
    ("淄博市住房和城乡建设局", "government", "housing"),
    ("淄博市交通运输局", "government", "transportation"),
    ("中共淄博市委网络安全和信息化委员会办公室", "government", "cyberspace"),
    ("淄博市应急管理局", "government", "emergency"),
    ("淄博市气象局", "government", "meteorology"),
    ("淄博市通信发展办公室", "government", "communications"),
    ("淄博市生态环境局", "government", "ecology"),
    ("淄博市工业和信息化局", "government", "industry"),
    ("淄博市发展和改革委员会", "government", "other"),
    ("淄博市教育局", "government", "other"),
    ("淄博市民政局", "government", "other"),
    ("淄博市财政局", "government", "other"),
    ("淄博市自然资源局", "government", "other"),
    ("淄博市水利局", "government", "energy"),
    ("淄博市商务局", "government", "other"),
    ("淄博市城市管理局", "government", "housing"),
    ("淄博市消防救援支队", "government", "emergency"),
    ("淄博市红十字会", "social", "health"),
]
MANAGED = {
    "淄博市公安局": [("淄博市公安局特警支队", "institution"), ("淄博市保安服务有限公司", "enterprise")],
    "淄博市卫生健康委员会": [
        ("淄博市中心医院", "institution"),
        ("淄博市第一医院", "institution"),
        ("淄博市急救中心", "institution"),
        ("淄博市疾病预防控制中心", "institution"),
        ("淄博市妇幼保健院", "institution"),
    ],
    "淄博市住房和城乡建设局": [
        ("淄博市建筑工程集团有限公司", "enterprise"),
        ("淄博市物业管理协会", "social"),
        ("淄博市燃气有限公司", "enterprise"),
    ],
    "淄博市交通运输局": [
        ("淄博市公共汽车公司", "enterprise"),
        ("淄博交运集团有限公司", "enterprise"),
        ("淄博市物流协会", "social"),
        ("淄博市公路事业发展中心", "institution"),
    ],
    "中共淄博市委网络安全和信息化委员会办公室": [
        ("淄博市大数据中心", "institution"),
        ("淄博市网络安全协会", "social"),
        ("山东淄博信息安全技术有限公司", "enterprise"),
    ],
    "淄博市应急管理局": [
        ("淄博市应急救援中心", "institution"),
        ("淄博市蓝天救援队", "social"),
        ("淄博市矿山救护大队", "institution"),
        ("淄博市危化品应急救援队", "enterprise"),
    ],
    "淄博市气象局": [("淄博市气象台", "institution"), ("淄博市人工影响天气中心", "institution")],
    "淄博市通信发展办公室": [
        ("中国移动淄博分公司", "enterprise"),
        ("中国联通淄博分公司", "enterprise"),
        ("中国电信淄博分公司", "enterprise"),
        ("中国铁塔淄博分公司", "enterprise"),
    ],
    "淄博市生态环境局": [("淄博市生态环境监测中心", "institution"), ("淄博市环保产业协会", "social")],
    "淄博市工业和信息化局": [
        ("淄博市无人机产业协会", "social"),
        ("山东齐鲁智能装备有限公司", "enterprise"),
        ("淄博市无线电监测站", "institution"),
    ],
}
# Each district/county has these bureaus, and each bureau one or two units it manages.
COUNTY_BUREAUS = [
    ("公安分局", "government", "public_security", [("特警大队", "institution")]),
    ("卫生健康局", "government", "health", [("人民医院", "institution"), ("中医院", "institution")]),
    ("住房和城乡建设局", "government", "housing", [("物业服务中心", "institution")]),
    ("交通运输局", "government", "transportation", [("公交有限公司", "enterprise")]),
    ("应急管理局", "government", "emergency", [("应急救援大队", "institution"), ("志愿救援协会", "social")]),
    ("工业和信息化局", "government", "industry", [("信息技术有限公司", "enterprise")]),
    ("城市管理局", "government", "housing", [("环卫服务中心", "institution")]),
]
REGISTRATION_PREFIX = {"government": "11", "institution": "12", "enterprise": "91", "social": "51"}


def credit_code_for(kind, region_code, serial):
    body = f"{REGISTRATION_PREFIX[kind]}{region_code[:6]}{serial:09d}"
    return body + credit_code_check_character(body)


def _region(code, name, level, parent):
    return Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent": parent})[0]


def _unit(ctx, name, kind, sector, region, managed_by=None):
    ctx.unit_serial += 1
    unit, created = MemberUnit.objects.get_or_create(
        name=name,
        defaults={
            "credit_code": credit_code_for(kind, region.code, ctx.unit_serial),
            "kind": kind,
            "sector": sector,
            "region": region,
            "managed_by": managed_by,
        },
    )
    if created:
        surname = ctx.rng.choice("王李张刘陈杨黄赵吴周")
        MemberUnitContact.objects.create(
            unit=unit,
            name=surname + ctx.rng.choice(["伟", "敏", "静", "磊", "洋", "勇", "艳", "军"]),
            position="国防动员联络员",
            phone=f"139{ctx.rng.randrange(10**8):08d}",
            is_primary=True,
        )
    ctx.units.append(unit)
    return unit


def seed(ctx):
    ctx.units = []
    ctx.unit_serial = 0
    ctx.rng = ctx.rng or random.Random(2026)
    province = _region(*PROVINCE, RegionLevelChoices.PROVINCE, None)
    city = _region(*CITY, RegionLevelChoices.CITY, province)
    ctx.city = city
    city_office = Office.objects.get_or_create(
        region=city,
        defaults={"name": "淄博市国防动员办公室", "level": OfficeLevelChoices.CITY, "phone": "0533-2186000"},
    )[0]
    ctx.city_office = city_office
    ctx.districts, ctx.townships, ctx.villages, ctx.district_offices = [], [], [], {}
    for code, name, townships in DISTRICTS:
        county = _region(code, name, RegionLevelChoices.COUNTY, city)
        ctx.districts.append(county)
        office = Office.objects.get_or_create(
            region=county, defaults={"name": f"{name}国防动员办公室", "level": OfficeLevelChoices.COUNTY}
        )[0]
        ctx.district_offices[code] = office
        for t, township_name in enumerate(townships, start=1):
            township = _region(f"{code[:6]}{t:03d}000", township_name, RegionLevelChoices.TOWNSHIP, county)
            ctx.townships.append(township)
            station = Workstation.objects.get_or_create(
                region=township, defaults={"name": f"{township_name}国防动员工作站", "office": office}
            )[0]
            for v, village_name in enumerate(VILLAGE_NAMES, start=1):
                village = _region(f"{code[:6]}{t:03d}{v:03d}", village_name, RegionLevelChoices.VILLAGE, township)
                ctx.villages.append(village)
                ContactPoint.objects.get_or_create(
                    region=village, defaults={"name": f"{township_name}{village_name}联络点", "workstation": station}
                )

    ctx.municipal_units = {}
    for name, kind, sector in MUNICIPAL_UNITS:
        unit = _unit(ctx, name, kind, sector, city)
        ctx.municipal_units[name] = unit
        for child_name, child_kind in MANAGED.get(name, []):
            _unit(ctx, child_name, child_kind, sector, city, managed_by=unit)
    ctx.county_units = {}
    for county in ctx.districts:
        for suffix, kind, sector, children in COUNTY_BUREAUS:
            bureau = _unit(ctx, f"{county.name}{suffix}", kind, sector, county)
            ctx.county_units.setdefault(county.code, []).append(bureau)
            for child_suffix, child_kind in children:
                _unit(ctx, f"{county.name}{child_suffix}", child_kind, sector, county, managed_by=bureau)

    zhangdian = next(d for d in ctx.districts if d.code == "370303000000")
    station_township = next(t for t in ctx.townships if t.code == "370303001000")
    inspector_village = next(v for v in ctx.villages if v.code == "370303001001")
    liaison_unit = ctx.municipal_units["淄博市应急管理局"]
    R = RoleChoices
    users = [
        ("office", R.OFFICE_STAFF, city, None, "张莹莹"),
        ("district_office", R.OFFICE_STAFF, zhangdian, None, "李明"),
        ("unit", R.UNIT_LIAISON, city, liaison_unit, "王芳"),
        ("inspector", R.INSPECTOR, inspector_village, None, "赵强"),
        ("director", R.STATION_DIRECTOR, station_township, None, "孙丽"),
        ("liaison", R.MILITARY_LIAISON, city, None, "周建国"),
        ("auditor", R.AUDITOR, city, None, "吴静"),
        ("sysadmin", R.SYSTEM_ADMIN, city, None, "郑伟"),
        ("secadmin", R.SECURITY_ADMIN, city, None, "冯敏"),
    ]
    ctx.users = {}
    for username, role, region, unit, full_name in users:
        ctx.users[username] = user_assign_role(
            username=username,
            role=role,
            region=region,
            member_unit=unit,
            password=ctx.password,
            email=f"{username}@zibo-mobilization.example",
            phone=f"1380533{len(ctx.users):04d}",
            full_name=full_name,
        )
    ctx.liaison_unit = liaison_unit
    # The demo director heads the station's workstation, with its staff (who hold no account).
    station = Workstation.objects.get(region=station_township)
    if station.director_id is None:
        station.director = ctx.users["director"]
        station.staff = "孙丽 站长\n陈刚 专职副站长\n刘洋 兼职工作人员（网格员）"
        station.save()
    ctx.stdout.write(
        f"  core: {Region.objects.count()} regions, {MemberUnit.objects.count()} member units, {len(users)} users"
    )
