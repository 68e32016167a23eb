"""Reads of the inspections app: scoping (through ScopedQuerySet) and the annotated views."""

import datetime

from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Substr

from mobilization.querysets import ScopedQuerySet, region_prefix

from .choices import FacilityKindChoices, RectificationStatusChoices, ReportStatusChoices

__all__ = [
    "FacilityQuerySet",
    "InspectionReportQuerySet",
    "RectificationQuerySet",
    "VerificationLineQuerySet",
]

OPEN_STATUSES = (RectificationStatusChoices.ISSUED, RectificationStatusChoices.REOPENED)
# The next level down from a prefix of so many digits: a region's children group by it.
CHILD_DIGITS = {2: 4, 4: 6, 6: 9, 9: 12, 12: 12}


class FacilityQuerySet(ScopedQuerySet):
    def warehouses(self):
        return self.filter(kind=FacilityKindChoices.RESERVE_WAREHOUSE)


class InspectionReportQuerySet(ScopedQuerySet):
    def drafts(self):
        return self.filter(status=ReportStatusChoices.DRAFT)

    def awaiting_review(self):
        return self.filter(status=ReportStatusChoices.SUBMITTED)


class RectificationQuerySet(ScopedQuerySet):
    def open(self):
        """Orders not yet done: issued, reopened or overdue."""
        return self.filter(status__in=(*OPEN_STATUSES, RectificationStatusChoices.OVERDUE))

    def falling_overdue(self, today):
        """Open orders whose deadline has passed but that are not marked overdue yet."""
        return self.filter(status__in=OPEN_STATUSES, deadline__lt=today)

    def overdue(self):
        return self.filter(status=RectificationStatusChoices.OVERDUE)


class VerificationLineQuerySet(ScopedQuerySet):
    def latest_per_warehouse(self):
        """Lines of each warehouse's most recent verification only: the current state of the data."""
        from .models import PotentialVerification

        latest = PotentialVerification.objects.filter(facility=OuterRef("verification__facility")).order_by(
            "-verified_on", "-pk"
        )
        return self.filter(verification_id=Subquery(latest.values("pk")[:1]))

    def accuracy_by_region(self, region_code, today=None):
        """Per child region of `region_code` (code and name): lines checked, lines matching, accuracy (%), the
        warehouses verified and the last verification date with its age in days (freshness).
        Counting and grouping run in the database; two queries whatever the volume."""
        prefix = region_prefix(region_code)
        digits = CHILD_DIGITS[len(prefix)]
        rows = (
            self.latest_per_warehouse()
            .filter(verification__facility__region__code__startswith=prefix)
            .annotate(child=Substr(F("verification__facility__region_id"), 1, digits))
            .values("child")
            .annotate(
                lines=Count("pk"),
                matching=Count("pk", filter=Q(matches=True)),
                warehouses=Count("verification__facility", distinct=True),
                last_verified=Max("verification__verified_on"),
            )
            .order_by("child")
        )
        from mobilization.models import Region

        today = today or datetime.date.today()
        rows = list(rows)
        codes = [row["child"].ljust(12, "0") for row in rows]
        names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        result = []
        for row in rows:
            last = row["last_verified"]
            if isinstance(last, datetime.datetime):
                last = last.date()
            result.append(
                {
                    "region": row["child"].ljust(12, "0"),
                    "region_name": names.get(row["child"].ljust(12, "0"), row["child"]),
                    "lines": row["lines"],
                    "matching": row["matching"],
                    "accuracy": round(100 * row["matching"] / row["lines"], 1) if row["lines"] else None,
                    "warehouses": row["warehouses"],
                    "last_verified": last,
                    "days_since_verified": (today - last).days if last else None,
                }
            )
        return result
