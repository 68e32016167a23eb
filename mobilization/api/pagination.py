import time

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models.query import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

ESTIMATED_HEADER = "X-Count-Estimated"


# (database alias, table) -> (estimate or None, when read): the estimate changes only with ANALYZE,
# so each process reads it once a minute per table, not on every request.
_estimates = {}
ESTIMATE_SECONDS = 60


def forget_table_estimates():
    """Read every estimate afresh next time (after an ANALYZE that should show at once)."""
    _estimates.clear()


def table_estimate(queryset):
    """The planner's row estimate of `queryset`'s table when the queryset reads the whole table
    (no filter: a superuser's national list, unsearched) on PostgreSQL; None otherwise."""
    if not isinstance(queryset, QuerySet) or queryset.query.where or queryset.query.distinct:
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    key, now = (queryset.db, queryset.model._meta.db_table), time.monotonic()
    known = _estimates.get(key)
    if known is None or now - known[1] > ESTIMATE_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [key[1]])
            row = cursor.fetchone()
        known = _estimates[key] = (row[0] if row and row[0] >= 0 else None, now)  # -1: never analysed
    return known[0]


class EstimatingPaginator(Paginator):
    """Exact counts, except for an unfiltered list of a table of more than
    `settings.API_COUNT_ESTIMATE_ABOVE` rows on PostgreSQL: there COUNT(*) reads the whole table on every page, and the estimate (kept by
    autovacuum's ANALYZE) is given instead, marked by the `X-Count-Estimated: true` header.

    A deep page reads its rows late: first the ids of the page (the OFFSET walks the list order's
    index alone, without visiting the table for every row it skips), then those rows by id, put
    back in the same order. Page 200 of a million persons then skips 10,000 index entries, not
    10,000 rows with their joins."""

    estimated = False

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom < settings.API_LATE_ROWS_FROM or not isinstance(rows, QuerySet) or rows.query.distinct:
            return self._get_page(rows[bottom:top], number, self)
        ids = list(rows.values_list("pk", flat=True)[bottom:top])
        by_id = {row.pk: row for row in rows.filter(pk__in=ids)}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)

    @cached_property
    def count(self):
        estimate = table_estimate(self.object_list)
        if estimate is not None and estimate > settings.API_COUNT_ESTIMATE_ABOVE:
            self.estimated = True
            return estimate
        return super().count


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (1 to 500). A page size that is not such a number is refused
    (400), not silently replaced by the default: a client asking for 5,000 rows should hear it."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = EstimatingPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.page.paginator.estimated:
            response[ESTIMATED_HEADER] = "true"  # `count` is the planner's estimate, not an exact COUNT
        return response

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}]}
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
