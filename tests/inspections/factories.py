"""Small builders for the inspections tests: facilities, reports, orders, stocks, images."""

import io
import itertools
from datetime import timedelta

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
from teams.models import Team, TeamType

_n = itertools.count(1)


def n():
    return next(_n)


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
        deadline=deadline or timezone.localdate() + timedelta(days=10),
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


def make_team(side):
    return Team.objects.create(
        name=f"队伍{n()}",
        team_type=TeamType.objects.get(code="fire_rescue"),
        level="county",
        region=side.county,
        unit=side.unit,
        authorised_strength=12,
    )


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
