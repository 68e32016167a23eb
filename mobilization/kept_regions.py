"""Rebuilding a kept table of (row, region) pairs (`Scope(regions=…)`, see querysets.py): the
one procedure behind persons' and exercises' kept regions."""

from django.db import connection, transaction

__all__ = ["kept_regions_rebuild"]


def kept_regions_rebuild(pairs_model, owner_model, owners, sources):
    """Rebuild the pairs of `owners` (ids, or a queryset of owners or of their ids; None: every
    owner) in two statements whatever their number: a delete and one INSERT … SELECT of the union
    of `sources`, each a (SELECT of (owner id, region id), the SQL expression of its owner id)."""
    owner_field = pairs_model._meta.get_field(owner_model._meta.model_name)
    where, params = "", []
    rows = pairs_model._base_manager.all()
    if owners is not None:
        if not hasattr(owners, "query"):
            owners = list(owners)
            if not owners:
                return
            owners = owner_model._base_manager.filter(pk__in=owners)
        ids = owners.order_by().values("pk") if owners.model is owner_model else owners.order_by()
        sql, params = ids.query.sql_with_params()
        where = f"WHERE {{}} IN ({sql})"
        params = [*params] * len(sources)
        rows = rows.filter(**{f"{owner_field.attname}__in": ids})
    union = "\nUNION\n".join(f"{select} {where.format(owner)}" for select, owner in sources)
    with transaction.atomic():
        rows._raw_delete(rows.db)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {pairs_model._meta.db_table} ({owner_field.column}, region_id) {union}", params
            )
