"""Inspections' share of the benchmark volume (`seed_demo --scale`, see mobilization/scale.py):
six facilities per township, each inspected about every twelve days over the year before today
by the demo inspector."""

import datetime

from django.utils import timezone

from mobilization.scale import bulk

from .choices import FacilityKindChoices, ReportStatusChoices, SeverityChoices
from .models import Facility, InspectionReport

__all__ = ["FACILITIES_PER_TOWNSHIP", "REPORTS_PER_FACILITY", "seed_city"]

FACILITIES_PER_TOWNSHIP, REPORTS_PER_FACILITY = 6, 31
KINDS = [
    FacilityKindChoices.CIVIL_DEFENCE_WORKS,
    FacilityKindChoices.ALARM_SIREN,
    FacilityKindChoices.RESERVE_WAREHOUSE,
    FacilityKindChoices.EMERGENCY_SHELTER,
]
SEVERITIES = [SeverityChoices.NONE] * 8 + [SeverityChoices.MINOR, SeverityChoices.MAJOR]


def seed_city(ctx, city):
    inspector = (getattr(ctx, "users", None) or {}).get("inspector")
    if inspector is None:
        return
    rng = city.rng
    facilities = bulk(
        Facility,
        [
            Facility(kind=KINDS[f % len(KINDS)], name=f"{t.name}设施{f + 1}", address=f"{t.name}{f + 1}号", region=t)
            for t in city.townships
            for f in range(FACILITIES_PER_TOWNSHIP)
        ],
    )
    start = ctx.today - datetime.timedelta(days=365)
    rows = []
    for facility in facilities:
        for r in range(REPORTS_PER_FACILITY):
            day = start + datetime.timedelta(days=r * 12 + rng.randrange(12))
            rows.append(
                InspectionReport(
                    facility=facility,
                    region_id=facility.region_id,  # bulk: no save() sets it
                    inspector=inspector,
                    status=ReportStatusChoices.REVIEWED,
                    inspected_on=day,
                    submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(17))),
                    severity=rng.choice(SEVERITIES),
                    findings="",
                )
            )
    bulk(InspectionReport, rows)
