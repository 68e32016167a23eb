"""The kept table of the regions through which offices see each person (`PersonRegion`):
their employer's region and the region of every team they serve or served in. Rebuilt, never
edited by hand, from those rows in two set-based statements, so that any write path can keep it
right by naming the persons it touched."""

from django.db import connection, transaction

from ..models import Membership, Person, PersonRegion

__all__ = ["person_regions_refresh"]


def person_regions_refresh(persons=None):
    """Rebuild the rows of `persons` (ids, or a queryset of persons or of their ids; None:
    everyone). Two statements whatever their number: a delete and one INSERT … SELECT of the union."""
    pairs = PersonRegion._meta.db_table
    person, membership = Person._meta, Membership._meta
    team = membership.get_field("team").related_model._meta
    unit = person.get_field("employer").related_model._meta
    where, params = "", []
    rows = PersonRegion._base_manager.all()
    if persons is not None:
        if not hasattr(persons, "query"):
            persons = list(persons)
            if not persons:
                return
            persons = Person._base_manager.filter(pk__in=persons)
        ids = persons.order_by().values("pk") if persons.model is Person else persons.order_by()
        sql, params = ids.query.sql_with_params()
        where = f"WHERE {{}} IN ({sql})"
        params = [*params, *params]
        rows = rows.filter(person_id__in=ids)
    with transaction.atomic():
        rows._raw_delete(rows.db)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {pairs} (person_id, region_id)
                SELECT p.id, u.region_id FROM {person.db_table} p JOIN {unit.db_table} u ON u.id = p.employer_id
                {where.format("p.id")}
                UNION
                SELECT m.person_id, t.region_id FROM {membership.db_table} m JOIN {team.db_table} t ON t.id = m.team_id
                {where.format("m.person_id")}""",
                params,
            )
