"""Reads of the reporting app's own rows."""

from mobilization.querysets import ScopedQuerySet

from .choices import ReportStatusChoices

__all__ = ["StatisticsReportQuerySet"]


class StatisticsReportQuerySet(ScopedQuerySet):
    def waiting(self):
        """Reports still moving: prepared but not submitted, returned, or awaiting a decision."""
        return self.exclude(status=ReportStatusChoices.APPROVED)
