"""Substring search that an index serves however short the term (admin `?q=`, API `q`).

Chinese names are two or three characters, and people search by one or two (a family name,
a two-character name). The trigram indexes (`migration_ops.trigram_indexes`) serve `icontains`
only from three characters on: a term of one or two characters read every row in scope (1.4 s for
a province office's "王芳" among a nation's million people). So the searched columns also carry a
GIN index on their characters (`migration_ops.character_indexes`), and a short term adds the
condition "the column holds every character of the term" — true of every row the substring match
finds, so the results are the same — which PostgreSQL answers from that index, leaving the
substring match to check a few rows instead of all of them."""

from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import BooleanField, F, Func, Q

__all__ = ["CHARACTER_INDEXED", "ContainsCharacters", "short_term_q"]

# (table, column) pairs that carry the character index; their migrations create it.
CHARACTER_INDEXED = {
    ("members_person", "name"),
    ("members_person", "specialty"),
    ("teams_team", "name"),
    ("mobilization_memberunit", "name"),
    ("inspections_facility", "name"),
    ("inspections_inspectionreport", "findings"),
}
SHORT = 2  # from three characters on, the trigram index serves the substring match itself


class ContainsCharacters(Func):
    """The column holds every character of `term` (case-folded as `icontains` folds it)."""

    output_field = BooleanField()

    def __init__(self, column, term):
        super().__init__(F(column) if isinstance(column, str) else column)
        self.term = term

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        sql = f"string_to_array(UPPER({column}::text), NULL) @> string_to_array(UPPER(%s), NULL)"
        return sql, (*params, self.term)


def _column(model, path):
    """(table, column) that a search path like `facility__name` ends on; None if it names none."""
    *relations, name = path.lstrip("^=@").split("__")
    try:
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        return model._meta.db_table, model._meta.get_field(name).column
    except (FieldDoesNotExist, AttributeError):
        return None


def short_term_q(model, paths, term) -> Q | None:
    """The index-served condition for a short `term` searched in `paths` of `model`, or None
    where it would not help: a longer term, another database, or a path without the index (one
    unindexed column in the OR makes PostgreSQL read every row anyway, as does an OR of columns
    of two tables)."""
    term = term.strip()
    if not term or len(term) > SHORT or connection.vendor != "postgresql":
        return None
    columns = {_column(model, path) for path in paths}
    if not columns or not columns <= CHARACTER_INDEXED or len({table for table, _column in columns}) > 1:
        return None  # an OR across two joined tables is a filter on the join, which no index serves
    return reduce(or_, (Q(ContainsCharacters(path.lstrip("^=@"), term)) for path in paths))
