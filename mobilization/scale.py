"""Volume for the benchmarks: `seed_demo --scale province|nation` adds, after the demo city, the
other 15 cities of Shandong (province), or those and 24 more provinces of 16 cities each
(nation). Each city has 6 districts of 3 townships, a district office each and 9 member units
per district; the README's benchmark table gives the resulting volumes.

This module makes each city's core rows (regions, offices, member units); every app adds its own
rows to the city through `seed_city(ctx, city)` in its `scale` module, in INSTALLED_APPS order,
reading what earlier apps put on the `city` namespace. Rows are written with bulk_create, a city
per transaction; a city that exists is skipped, so a second run changes nothing.
"""

from importlib import import_module, util
from random import Random
from types import SimpleNamespace

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from .apps import project_app_configs
from .choices import OfficeLevelChoices, RegionLevelChoices, SectorChoices, UnitKindChoices
from .models import MemberUnit, Office, Region

__all__ = ["BATCH", "COUNTIES", "TOWNSHIPS", "UNITS_PER_COUNTY", "bulk", "seed"]

SHANDONG_CITIES = [
    ("01", "济南市"), ("02", "青岛市"), ("04", "枣庄市"), ("05", "东营市"), ("06", "烟台市"), ("07", "潍坊市"),
    ("08", "济宁市"), ("09", "泰安市"), ("10", "威海市"), ("11", "日照市"), ("13", "临沂市"), ("14", "德州市"),
    ("15", "聊城市"), ("16", "滨州市"), ("17", "菏泽市"),
]  # fmt: skip
OTHER_PROVINCES = [
    ("11", "北京市"), ("12", "天津市"), ("13", "河北省"), ("14", "山西省"), ("15", "内蒙古自治区"), ("21", "辽宁省"),
    ("22", "吉林省"), ("23", "黑龙江省"), ("31", "上海市"), ("32", "江苏省"), ("33", "浙江省"), ("34", "安徽省"),
    ("35", "福建省"), ("36", "江西省"), ("41", "河南省"), ("42", "湖北省"), ("43", "湖南省"), ("44", "广东省"),
    ("45", "广西壮族自治区"), ("50", "重庆市"), ("51", "四川省"), ("52", "贵州省"), ("53", "云南省"), ("61", "陕西省"),
]  # fmt: skip
COUNTIES, TOWNSHIPS, UNITS_PER_COUNTY = 6, 3, 9
SECTORS = [s for s in SectorChoices.values if s != SectorChoices.OTHER]
BATCH = 5000


def bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


def scale_parts():
    """The `scale` module of every project app that has one, in INSTALLED_APPS order."""
    for config in project_app_configs():
        if config.name != __package__ and util.find_spec(f"{config.name}.scale") is not None:
            yield import_module(f"{config.name}.scale")


def seed(ctx):
    Region.objects.get_or_create(code="370000000000", defaults={"name": "山东省", "level": RegionLevelChoices.PROVINCE})
    cities = [(f"37{cc}", name, "370000000000") for cc, name in SHANDONG_CITIES]
    if ctx.scale == "nation":
        for pp, province in OTHER_PROVINCES:
            Region.objects.get_or_create(
                code=f"{pp}0000000000", defaults={"name": province, "level": RegionLevelChoices.PROVINCE}
            )
            cities += [(f"{pp}{n:02d}", f"{province[:2]}第{n}市", f"{pp}0000000000") for n in range(1, 17)]
    parts = list(scale_parts())
    made = 0
    for code, name, province in cities:
        if Region.objects.filter(code=f"{code}00000000").exists():
            continue
        with transaction.atomic():
            city = _city(code, name, province)
            for part in parts:
                part.seed_city(ctx, city)
        made += 1
        ctx.stdout.write(f"  {name} ({code}) seeded [{made}]")
    ctx.stdout.write(f"Scale {ctx.scale}: {made} cities added, {len(cities) - made} already there.")


def _city(code, name, province):
    """The core rows of one city; returned as the namespace the apps' parts add to."""
    region = Region.objects.create(code=f"{code}00000000", name=name, level=RegionLevelChoices.CITY, parent_id=province)
    Office.objects.create(region=region, name=f"{name}国防动员办公室", level=OfficeLevelChoices.CITY)
    counties = bulk(
        Region,
        [
            Region(
                code=f"{code}{c:02d}000000", name=f"{name[:-1]}第{c}区", level=RegionLevelChoices.COUNTY, parent=region
            )
            for c in range(1, COUNTIES + 1)
        ],
    )
    offices = bulk(
        Office, [Office(region=c, name=f"{c.name}国防动员办公室", level=OfficeLevelChoices.COUNTY) for c in counties]
    )
    townships = bulk(
        Region,
        [
            Region(
                code=f"{c.code[:6]}{t:03d}000", name=f"{c.name}第{t}街道", level=RegionLevelChoices.TOWNSHIP, parent=c
            )
            for c in counties
            for t in range(1, TOWNSHIPS + 1)
        ],
    )
    return SimpleNamespace(
        code=code,
        name=name,
        region=region,
        rng=Random(code),
        counties=counties,
        offices=offices,
        townships=townships,
        # Per county, in county order: what the apps' parts group by.
        townships_by_county=[townships[i * TOWNSHIPS : (i + 1) * TOWNSHIPS] for i in range(COUNTIES)],
        units_by_county=_units(code, counties),
    )


def _units(code, counties):
    from .demo import credit_code_for

    units = []
    for ci, county in enumerate(counties):
        for u in range(UNITS_PER_COUNTY):
            sector = SECTORS[(ci + u) % len(SECTORS)]
            kind = [UnitKindChoices.GOVERNMENT, UnitKindChoices.INSTITUTION, UnitKindChoices.ENTERPRISE][u % 3]
            units.append(
                MemberUnit(
                    name=f"{county.name}{SectorChoices(sector).label}单位{u + 1}",
                    credit_code=credit_code_for(kind, county.code, 500000 + ci * 100 + u),
                    kind=kind,
                    sector=sector,
                    region=county,
                )
            )
    units = bulk(MemberUnit, units)
    MemberUnit.objects.filter(pk__in=[u.pk for u in units]).update(
        tree_path=Concat(Cast("id", CharField()), Value("/"))
    )
    return [units[i * UNITS_PER_COUNTY : (i + 1) * UNITS_PER_COUNTY] for i in range(len(counties))]
