"""The team taxonomy of the source documents: 6 categories, their team types and each type's
minimum capability (headcount, qualification shares, serviceable equipment), with the
qualification kinds and equipment items they name. Found by code, so it never duplicates a
row an office has already made, and leaves edited rows as the office left them."""

from django.db import migrations

CATEGORIES = [
    ("environment", "环境检测", 1),
    ("communication", "信息通信", 2),
    ("transport", "运输投送", 3),
    ("unmanned", "无人智能", 4),
    ("rescue", "抢险救援", 5),
    ("support", "综合保障", 6),
]

QUALIFICATION_KINDS = {
    "nbc_detector": "核生化侦检员证",
    "env_monitor": "环境监测上岗证",
    "weather_observer": "气象观测员资格证",
    "telecom_engineer": "通信工程师职业资格",
    "radio_monitor": "无线电监测员证",
    "cyber_security": "注册信息安全专业人员(CISP)",
    "system_engineer": "信息系统运维工程师证",
    "heavy_licence": "大型车辆驾驶证(A2/B2)",
    "freight_driver": "道路货物运输驾驶员从业资格证",
    "drone_pilot": "民用无人机驾驶员执照",
    "robot_operator": "特种机器人操作员证",
    "firefighter": "消防员国家职业资格证",
    "physician": "医师执业证书",
    "nurse": "护士执业证书",
    "mine_rescuer": "矿山救护队员证",
    "hazchem_rescuer": "危险化学品应急救援员证",
    "machinery_operator": "工程机械操作证",
    "electrician": "特种作业操作证(电工)",
    "fuel_handler": "油料保管员证",
    "disinfection": "消毒员职业资格证",
}

EQUIPMENT_ITEMS = {
    "nbc_detector_kit": ("核生化侦检仪", "台"),
    "protective_suit": ("防护服", "套"),
    "env_monitoring_vehicle": ("环境监测车", "辆"),
    "weather_station": ("便携式自动气象站", "套"),
    "satellite_phone": ("卫星电话", "部"),
    "comm_vehicle": ("应急通信车", "辆"),
    "spectrum_analyzer": ("频谱分析仪", "台"),
    "cyber_workstation": ("网络攻防工作站", "台"),
    "repair_toolkit": ("信息系统抢修工具箱", "套"),
    "truck": ("运输卡车", "辆"),
    "van": ("厢式货车", "辆"),
    "recon_drone": ("侦察无人机", "架"),
    "cargo_drone": ("载重无人机", "架"),
    "rescue_robot": ("救援机器人", "台"),
    "fire_engine": ("消防车", "辆"),
    "breathing_apparatus": ("正压式空气呼吸器", "具"),
    "ambulance": ("救护车", "辆"),
    "oxygen_rebreather": ("氧气呼吸器", "台"),
    "chemical_suit": ("重型防化服", "套"),
    "excavator": ("挖掘机", "台"),
    "crane": ("汽车起重机", "台"),
    "generator_vehicle": ("应急发电车", "辆"),
    "water_truck": ("运水车", "辆"),
    "fuel_truck": ("加油车", "辆"),
    "decontamination_kit": ("洗消设备", "套"),
}

# code, name, category, minimum headcount, [(qualification kind, minimum share %)], [(item, minimum quantity)]
TYPES = [
    ("nbc_detection", "核生化侦检", "environment", 10, [("nbc_detector", 50)], [("nbc_detector_kit", 2), ("protective_suit", 10)]),
    ("environment_monitoring", "环境监测", "environment", 8, [("env_monitor", 50)], [("env_monitoring_vehicle", 1)]),
    ("meteorological_detection", "气象探测", "environment", 8, [("weather_observer", 50)], [("weather_station", 2)]),
    ("emergency_communication", "应急通信", "communication", 10, [("telecom_engineer", 40)], [("satellite_phone", 4), ("comm_vehicle", 1)]),
    ("radio_monitoring", "无线电监测", "communication", 8, [("radio_monitor", 50)], [("spectrum_analyzer", 2)]),
    ("network_attack_defence", "网络攻防", "communication", 10, [("cyber_security", 60)], [("cyber_workstation", 5)]),
    ("information_system_repair", "信息系统抢修", "communication", 8, [("system_engineer", 50)], [("repair_toolkit", 2)]),
    ("road_transport", "道路运输", "transport", 15, [("heavy_licence", 60)], [("truck", 5)]),
    ("logistics_delivery", "物流投送", "transport", 12, [("freight_driver", 50)], [("van", 3)]),
    ("drone_reconnaissance", "无人机侦察", "unmanned", 6, [("drone_pilot", 70)], [("recon_drone", 3)]),
    ("drone_delivery", "无人机投送", "unmanned", 6, [("drone_pilot", 60)], [("cargo_drone", 2)]),
    ("unmanned_rescue", "无人装备救援", "unmanned", 6, [("robot_operator", 50)], [("rescue_robot", 1)]),
    ("fire_rescue", "消防救援", "rescue", 15, [("firefighter", 70)], [("fire_engine", 2), ("breathing_apparatus", 10)]),
    ("medical_rescue", "医疗救护", "rescue", 12, [("physician", 30), ("nurse", 30)], [("ambulance", 2)]),
    ("mine_rescue", "矿山救护", "rescue", 15, [("mine_rescuer", 80)], [("oxygen_rebreather", 10)]),
    ("hazchem_rescue", "危化品救援", "rescue", 12, [("hazchem_rescuer", 60)], [("chemical_suit", 6)]),
    ("engineering_rescue", "工程抢险", "rescue", 15, [("machinery_operator", 40)], [("excavator", 2), ("crane", 1)]),
    ("power_supply", "电力保障", "support", 10, [("electrician", 60)], [("generator_vehicle", 1)]),
    ("fuel_water_supply", "油料供水保障", "support", 8, [("fuel_handler", 40)], [("water_truck", 2), ("fuel_truck", 1)]),
    ("epidemic_prevention", "卫生防疫", "support", 10, [("disinfection", 50)], [("decontamination_kit", 2)]),
]


def load(apps, schema_editor):
    Category = apps.get_model("teams", "TeamCategory")
    TeamType = apps.get_model("teams", "TeamType")
    Item = apps.get_model("teams", "EquipmentItem")
    QualificationRequirement = apps.get_model("teams", "TypeQualificationRequirement")
    EquipmentRequirement = apps.get_model("teams", "TypeEquipmentRequirement")
    Kind = apps.get_model("members", "QualificationKind")

    categories = {
        code: Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})[0]
        for code, name, order in CATEGORIES
    }
    kinds = {code: Kind.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in QUALIFICATION_KINDS.items()}
    items = {
        code: Item.objects.get_or_create(code=code, defaults={"name": name, "unit": unit})[0]
        for code, (name, unit) in EQUIPMENT_ITEMS.items()
    }
    for code, name, category, minimum, qualifications, equipment in TYPES:
        team_type, created = TeamType.objects.get_or_create(
            code=code, defaults={"name": name, "category": categories[category], "min_headcount": minimum}
        )
        if not created:
            continue  # the office owns it now
        for kind, share in qualifications:
            QualificationRequirement.objects.create(team_type=team_type, kind=kinds[kind], min_share=share)
        for item, quantity in equipment:
            EquipmentRequirement.objects.create(team_type=team_type, item=items[item], min_quantity=quantity)


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0002_taxonomy_equipment_standby_activation"),
        ("members", "0002_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
