"""Reads of the inspections app: scoping (through ScopedQuerySet) and the annotated views."""

import datetime

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Substr

from mobilization.querysets import ScopedQuerySet, region_prefix
from mobilization.rates import rate

from .choices import (
    FacilityKindChoices,
    FacilityStatusChoices,
    RectificationStatusChoices,
    ReportStatusChoices,
    SeverityChoices,
)

__all__ = [
    "DONE_ON_TIME",
    "HAS_PROBLEMS",
    "FacilityQuerySet",
    "InspectionMediaQuerySet",
    "InspectionReportQuerySet",
    "RectificationQuerySet",
    "VerificationLineQuerySet",
    "last_inspection_subquery",
]

OPEN_STATUSES = (RectificationStatusChoices.ISSUED, RectificationStatusChoices.REOPENED)
# A report found a problem; an order was completed by its deadline (conditions usable in a
# COUNT(... FILTER ...) as well as in a filter).
HAS_PROBLEMS = ~Q(severity=SeverityChoices.NONE)
DONE_ON_TIME = Q(completed_on__isnull=False, completed_on__lte=F("deadline"))
# The next level down from a prefix of so many digits: a region's children group by it.
CHILD_DIGITS = {2: 4, 4: 6, 6: 9, 9: 12, 12: 12}


class FacilityQuerySet(ScopedQuerySet):
    def warehouses(self):
        return self.filter(kind=FacilityKindChoices.RESERVE_WAREHOUSE)

    def inspected(self):
        """Facilities the grid inspects on a cycle: all but those out of service."""
        return self.exclude(status=FacilityStatusChoices.OUT_OF_SERVICE)

    def with_last_inspection(self, today):
        """Each facility with `last_inspected`: its latest filed inspection on or before `today`."""
        return self.annotate(last_inspected=last_inspection_subquery(today))


class _DraftsStayWithTheirInspector(ScopedQuerySet):
    """A draft report is its inspector's unfinished work: it becomes the office's business when
    submitted. On top of the generic scope, everyone but its inspector (and superusers) loses
    other people's drafts and their photos and videos, in the same query. `report_path` is the lookup
    path from the model to its report (None: the report itself)."""

    report_path = None

    def visible_to(self, user):
        return super().visible_to(user).filter(self._drafts_q(user))

    def editable_by(self, user):
        return super().editable_by(user).filter(self._drafts_q(user))

    def _drafts_q(self, user):
        if not user or not user.is_authenticated or user.is_superuser:
            return Q()  # the generic scope has already shut out the anonymous
        prefix = f"{self.report_path}__" if self.report_path else ""
        return ~Q(**{f"{prefix}status": ReportStatusChoices.DRAFT}) | Q(**{f"{prefix}inspector": user})


class InspectionReportQuerySet(_DraftsStayWithTheirInspector):
    def drafts(self):
        return self.filter(status=ReportStatusChoices.DRAFT)

    def filed_between(self, start, end):
        """Reports filed (submitted or reviewed, not drafts) on inspections within [start, end]."""
        return self.exclude(status=ReportStatusChoices.DRAFT).filter(inspected_on__gte=start, inspected_on__lte=end)

    def with_problems(self):
        return self.filter(HAS_PROBLEMS)

    def awaiting_review(self):
        return self.filter(status=ReportStatusChoices.SUBMITTED)


class InspectionMediaQuerySet(_DraftsStayWithTheirInspector):
    report_path = "report"


class RectificationQuerySet(ScopedQuerySet):
    def open(self):
        """Orders not yet done: issued, reopened or overdue."""
        return self.filter(status__in=(*OPEN_STATUSES, RectificationStatusChoices.OVERDUE))

    def not_closed(self):
        """Orders someone still has to act on: the open ones and the completed ones awaiting verification."""
        return self.filter(
            status__in=(*OPEN_STATUSES, RectificationStatusChoices.OVERDUE, RectificationStatusChoices.COMPLETED)
        )

    def falling_overdue(self, today):
        """Open orders whose deadline has passed but that are not marked overdue yet."""
        return self.filter(status__in=OPEN_STATUSES, deadline__lt=today)

    def overdue(self):
        return self.filter(status=RectificationStatusChoices.OVERDUE)

    def due_between(self, start, end):
        return self.filter(deadline__gte=start, deadline__lte=end)

    def done_on_time(self):
        """Completed by the deadline."""
        return self.filter(DONE_ON_TIME)

    def overdue_on(self, day):
        """Past the deadline and not completed by `day` (what the status said on that day: an
        order is always issued before its deadline, so one past its deadline then existed)."""
        return self.filter(deadline__lt=day).filter(Q(completed_on__isnull=True) | Q(completed_on__gt=day))


class VerificationLineQuerySet(ScopedQuerySet):
    def latest_per_warehouse(self, as_of=None):
        """Lines of each warehouse's most recent verification (on or before `as_of`) only: the
        current state of the data."""
        from .models import PotentialVerification

        latest = PotentialVerification.objects.filter(facility=OuterRef("verification__facility"))
        if as_of is not None:
            latest = latest.filter(verified_on__lte=as_of)
        return self.filter(verification_id=Subquery(latest.order_by("-verified_on", "-pk").values("pk")[:1]))

    def accuracy_by_region(self, region_code, today=None, warehouses=None):
        """Per child region of `region_code` (code and name), at each warehouse's latest verification:
        lines checked, lines matching, accuracy (%), the warehouses verified, the last and the stalest
        of their latest verification dates with their ages in days (freshness), and the warehouses
        whose location did not match the record.

        A line counts as matching only where the warehouse was found where the record says: figures
        of a warehouse that is not there vouch for nothing. `warehouses` (reserve warehouses the
        caller may see, e.g. `Facility.objects.visible_to(user)`) adds `unverified_warehouses`: those
        never verified on or before `today`, which no line can show; regions holding only such
        warehouses get a row too. Without it that count is 0. Three queries whatever the volume."""
        prefix = region_prefix(region_code)
        digits = CHILD_DIGITS[len(prefix)]
        today = today or datetime.date.today()
        rows = (
            self.latest_per_warehouse(as_of=today)
            .filter(verification__facility__region__code__startswith=prefix)
            .annotate(child=Substr(F("verification__facility__region_id"), 1, digits))
            .values("child")
            .annotate(
                lines=Count("pk"),
                matching=Count("pk", filter=Q(matches=True, verification__location_matches=True)),
                warehouses=Count("verification__facility", distinct=True),
                misplaced=Count(
                    "verification__facility", distinct=True, filter=Q(verification__location_matches=False)
                ),
                last_verified=Max("verification__verified_on"),
                stalest_verified=Min("verification__verified_on"),
            )
            .order_by("child")
        )
        by_child = {row["child"]: row for row in rows}
        unverified = {}
        if warehouses is not None:
            from .models import PotentialVerification

            verified = PotentialVerification.objects.filter(facility=OuterRef("pk"), verified_on__lte=today)
            unverified = dict(
                warehouses.filter(kind=FacilityKindChoices.RESERVE_WAREHOUSE, region__code__startswith=prefix)
                .filter(~Exists(verified))
                .annotate(child=Substr(F("region_id"), 1, digits))
                .values("child")
                .annotate(n=Count("pk"))
                .values_list("child", "n")
            )
        from mobilization.models import Region

        children = sorted(set(by_child) | set(unverified))
        codes = [child.ljust(12, "0") for child in children]
        names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        result = []
        for child in children:
            row = by_child.get(child, {})
            last, stalest = _date(row.get("last_verified")), _date(row.get("stalest_verified"))
            lines, matching = row.get("lines", 0), row.get("matching", 0)
            result.append(
                {
                    "region": child.ljust(12, "0"),
                    "region_name": names.get(child.ljust(12, "0"), child),
                    "lines": lines,
                    "matching": matching,
                    "accuracy": rate(matching, lines),
                    "warehouses": row.get("warehouses", 0),
                    "last_verified": last,
                    "days_since_verified": (today - last).days if last else None,
                    "stalest_verified": stalest,
                    "days_since_stalest": (today - stalest).days if stalest else None,
                    "location_mismatches": row.get("misplaced", 0),
                    "unverified_warehouses": unverified.get(child, 0),
                }
            )
        return result


def _date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def last_inspection_subquery(today):
    """The date of a facility's latest filed (not draft) inspection on or before `today`."""
    from .models import InspectionReport

    return Subquery(
        InspectionReport.objects.filter(facility=OuterRef("pk"), inspected_on__lte=today)
        .exclude(status=ReportStatusChoices.DRAFT)
        .order_by("-inspected_on")
        .values("inspected_on")[:1]
    )
