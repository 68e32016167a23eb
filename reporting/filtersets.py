"""Filters of the statistics API."""

import django_filters

from mobilization.filtersets import BaseFilterSet

from .models import MemberUnitYearStatus, StatisticsReport, StatisticsSnapshot

__all__ = ["MemberUnitYearStatusFilterSet", "StatisticsReportFilterSet", "StatisticsSnapshotFilterSet"]


class StatisticsReportFilterSet(BaseFilterSet):
    class Meta:
        model = StatisticsReport
        fields = ["office", "period_kind", "status"]


class StatisticsSnapshotFilterSet(BaseFilterSet):
    class Meta:
        model = StatisticsSnapshot
        fields = ["period_kind"]


class MemberUnitYearStatusFilterSet(BaseFilterSet):
    year = django_filters.NumberFilter()
    search_fields = ("unit__name",)

    class Meta:
        model = MemberUnitYearStatus
        fields = ["unit", "year", "phase", "status"]
