"""Reads of the roster with intention-revealing names; scoping comes from `ScopedQuerySet`."""

import datetime

from django.db.models import OuterRef, Q, Subquery

from mobilization.crypto import keyed_hashes
from mobilization.querysets import ScopedQuerySet
from mobilization.validators import normalize_id_number

from .choices import RosterChangeStatusChoices

__all__ = ["available_q", "MembershipQuerySet", "PersonQuerySet", "QualificationQuerySet", "RosterChangeQuerySet"]

WARNING_DAYS = 30


def available_q(day, prefix=""):
    """People available on `day`: never marked unavailable, or unavailable only until before it."""
    return Q(**{f"{prefix}unavailable_until__isnull": True}) | Q(**{f"{prefix}unavailable_until__lt": day})


class PersonQuerySet(ScopedQuerySet):
    def available_on(self, day):
        return self.filter(available_q(day))

    def by_id_number(self, id_number):
        """Persons with this full ID number (found through its keyed hash: at most one).
        Any key version still in the keyring is asked for: a rotation may be under way."""
        return self.filter(id_number_hash__in=keyed_hashes(normalize_id_number(id_number)))

    def with_current_team(self):
        """Annotate `current_team_id` and `current_role` from the person's open membership."""
        from .models import Membership

        current = Membership.objects.filter(person=OuterRef("pk"), left__isnull=True)
        return self.annotate(
            current_team_id=Subquery(current.values("team_id")[:1]),
            current_role=Subquery(current.values("role")[:1]),
        )


class MembershipQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(left__isnull=True)


class QualificationQuerySet(ScopedQuerySet):
    def valid_on(self, day):
        return self.filter(issued__lte=day).filter(Q(expires__isnull=True) | Q(expires__gte=day))

    def expiring_within(self, day, days=WARNING_DAYS):
        """Still valid on `day` and expiring within `days` after it."""
        return self.filter(expires__gte=day, expires__lte=day + datetime.timedelta(days=days))


class RosterChangeQuerySet(ScopedQuerySet):
    def pending(self):
        return self.filter(status=RosterChangeStatusChoices.PENDING)

    def waiting_at(self, moment):
        """Requests waiting at `moment`: made before it and not decided by then (still pending,
        or decided later)."""
        return self.filter(created__lt=moment).filter(
            Q(status=RosterChangeStatusChoices.PENDING) | Q(decided_at__gte=moment)
        )
