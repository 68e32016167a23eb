"""The kept table of the regions through which offices see each person (`PersonRegion`):
their employer's region and the region of every team they serve or served in. Rebuilt, never
edited by hand, from those rows in two set-based statements, so that any write path can keep it
right by naming the persons it touched."""

from mobilization.kept_regions import kept_regions_rebuild

from ..models import Membership, Person, PersonRegion

__all__ = ["person_regions_refresh"]


def person_regions_refresh(persons=None):
    """Rebuild the rows of `persons` (ids, or a queryset of persons or of their ids; None:
    everyone). Two statements whatever their number: a delete and one INSERT … SELECT of the union."""
    person, membership = Person._meta, Membership._meta
    team = membership.get_field("team").related_model._meta
    unit = person.get_field("employer").related_model._meta
    kept_regions_rebuild(
        PersonRegion,
        Person,
        persons,
        [
            (
                f"SELECT p.id, u.region_id FROM {person.db_table} p JOIN {unit.db_table} u ON u.id = p.employer_id",
                "p.id",
            ),
            (
                f"SELECT m.person_id, t.region_id FROM {membership.db_table} m JOIN {team.db_table} t ON t.id = m.team_id",
                "m.person_id",
            ),
        ],
    )
