"""Reads of the teams app: live readiness computed in the database, and activation scoping.

Readiness is defined once, here. `Team.objects.with_readiness()` annotates every row with the
figures and a `ready` flag (so lists filter and sort on it in SQL), and, when the rows are
fetched, attaches to each a `Readiness` with the per-requirement figures and the reasons, read
for the whole page in a fixed number of queries (never one per team).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext

# members' choices module loads none of members' models: reading it keeps the imports one-way.
from members.choices import PhysicalConditionChoices
from members.querysets import available_q
from mobilization.querysets import ScopedQuerySet, scope_q

from .choices import EquipmentConditionChoices, TeamStatusChoices

__all__ = [
    "ActivationQuerySet",
    "EquipmentCheck",
    "QualificationCheck",
    "Readiness",
    "TeamQuerySet",
    "current_memberships",
]

STANDBY_HORIZON = timedelta(days=7)


def _model(label):
    # members depends on teams (Membership.team); look its models up lazily to keep imports one-way.
    return apps.get_model(label)


def current_memberships(today, team=None):
    """Memberships that count on `today`: joined by then and not yet left."""
    qs = _model("members.Membership").objects.filter(joined__lte=today).filter(Q(left__isnull=True) | Q(left__gt=today))
    return qs if team is None else qs.filter(team=team)


def _valid_qualification(today, prefix="person__qualifications__"):
    """Filter arguments for a qualification valid on `today`; pass them in ONE filter() call so
    that kind, issue and expiry are read from the same qualification row."""
    return (
        Q(**{f"{prefix}expires__isnull": True}) | Q(**{f"{prefix}expires__gte": today}),
        Q(**{f"{prefix}issued__lte": today}),
    )


def _count(qs, expression="pk", distinct=False):
    """A correlated COUNT subquery over `qs` (filtered to one team), 0 when it finds nothing."""
    counted = qs.order_by().values("team").annotate(n=Count(expression, distinct=distinct)).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def _qualified_holders(today, team, kind):
    """Current members of `team` who are fit for duty, available and hold a valid `kind` qualification."""
    return (
        current_memberships(today, team)
        .filter(
            *_valid_qualification(today),
            person__physical_condition=PhysicalConditionChoices.FIT,
            person__qualifications__kind=kind,
        )
        .filter(available_q(today, "person__"))
    )


@dataclass
class QualificationCheck:
    kind: object
    required_share: int
    holders: int
    share: int
    met: bool


@dataclass
class EquipmentCheck:
    item: object
    required: int
    serviceable: int
    met: bool


@dataclass
class Readiness:
    """A team's live readiness against its type's minimum capability."""

    ready: bool
    headcount: int
    fit_headcount: int
    available_headcount: int
    authorised_strength: int
    min_headcount: int
    standby_now: bool
    standby_next_7_days: bool
    qualifications: list = field(default_factory=list)
    equipment: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


# What `with_readiness()` annotates: read for the fetched rows only by `with_page_readiness()`.
READINESS_FIELDS = (
    "current_headcount",
    "fit_headcount",
    "available_headcount",
    "qualification_shortfall",
    "equipment_shortfall",
    "standby_now",
    "standby_soon",
    "ready",
)


class TeamQuerySet(ScopedQuerySet):
    _readiness_on = None
    _readiness_later = None

    def in_region(self, prefix):
        """Teams of a region subtree (by region-code prefix)."""
        return self.filter(region__code__startswith=prefix)

    def existing_on(self, day):
        """Teams that exist on `day`: established by then (or undated) and not disbanded."""
        return self.exclude(status=TeamStatusChoices.DISBANDED).filter(
            Q(established__isnull=True) | Q(established__lte=day)
        )

    def active(self):
        return self.filter(status=TeamStatusChoices.ACTIVE)

    def strength_by(self, *group):
        """Per group: the teams and their authorised strength."""
        return self.values(*group).annotate(teams=Count("pk"), authorised=Coalesce(Sum("authorised_strength"), 0))

    def headcount_by(self, group, day):
        """{group value: current members on `day`} over these teams, `group` a lookup from a membership."""
        rows = current_memberships(day).filter(team_id__in=self.values("pk")).order_by().values(group)
        return {r[group]: r["n"] for r in rows.annotate(n=Count("pk"))}

    def standby_by(self, group, start, end):
        """{group value: {"covered", "duration"}}: per group (a lookup from a standby duty), the
        teams with duty overlapping [start, end) and the duty served within it (a timedelta)."""
        span = ExpressionWrapper(Least(F("end"), end) - Greatest(F("start"), start), DurationField())
        rows = (
            _model("teams.StandbyDuty")
            .objects.filter(team_id__in=self.values("pk"), start__lt=end, end__gt=start)
            .annotate(span=span)
            .values(group)
            .annotate(covered=Count("team", distinct=True), duration=Sum("span"))
            .order_by()
        )
        return {r[group]: r for r in rows}

    def with_readiness(self, *, today=None, now=None):
        """Annotate each team with its live readiness on `today` / at `now`:

        current_headcount, fit_headcount, available_headcount (not marked unavailable today),
        qualification_shortfall, equipment_shortfall, standby_now, standby_soon and `ready` (active,
        at or above the type's minimum headcount in available people, every required qualification
        share held by fit and available members, and serviceable equipment quantity met)."""
        today = today or timezone.localdate()
        now = now or timezone.now()
        team = OuterRef("pk")
        inner_team = OuterRef(OuterRef("pk"))
        qualification_req = _model("teams.TypeQualificationRequirement")
        equipment_req = _model("teams.TypeEquipmentRequirement")
        equipment = _model("teams.Equipment")
        standby = _model("teams.StandbyDuty")

        holders = _count(_qualified_holders(today, inner_team, OuterRef("kind")), "person", distinct=True)
        headcount_inner = _count(current_memberships(today, inner_team))
        short_of_qualification = (
            qualification_req.objects.filter(team_type=OuterRef("team_type"))
            .annotate(have=holders * 100, needed=F("min_share") * headcount_inner)
            .filter(Q(have__lt=F("needed")) | Q(needed=0))
        )
        serviceable = (
            equipment.objects.filter(
                team=inner_team, item=OuterRef("item"), condition=EquipmentConditionChoices.SERVICEABLE
            )
            .order_by()
            .values("team")
            .annotate(q=Sum("quantity"))
            .values("q")[:1]
        )
        short_of_equipment = (
            equipment_req.objects.filter(team_type=OuterRef("team_type"))
            .annotate(have=Coalesce(Subquery(serviceable), 0))
            .filter(have__lt=F("min_quantity"))
        )
        qs = self.annotate(
            current_headcount=_count(current_memberships(today, team)),
            fit_headcount=_count(
                current_memberships(today, team).filter(person__physical_condition=PhysicalConditionChoices.FIT)
            ),
            available_headcount=_count(current_memberships(today, team).filter(available_q(today, "person__"))),
            qualification_shortfall=Exists(short_of_qualification),
            equipment_shortfall=Exists(short_of_equipment),
            standby_now=Exists(standby.objects.filter(team=team, start__lte=now, end__gt=now)),
            standby_soon=Exists(standby.objects.filter(team=team, start__lt=now + STANDBY_HORIZON, end__gt=now)),
        ).annotate(
            ready=Case(
                When(
                    Q(status=TeamStatusChoices.ACTIVE, available_headcount__gte=F("team_type__min_headcount"))
                    & Q(qualification_shortfall=False, equipment_shortfall=False),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        qs._readiness_on = today
        return qs

    def with_page_readiness(self, *, today=None, now=None):
        """The same figures as `with_readiness()`, computed only for the rows fetched (a page):
        the SQL that filters, counts and pages the list carries none of them, so a deep page
        costs what the first costs (the database evaluates an annotation for every row an OFFSET
        skips). One more query when the rows are fetched, whatever their number. Not for filtering
        or sorting on readiness: use `with_readiness()` for that."""
        qs = self._chain()
        qs._readiness_later = (today or timezone.localdate(), now or timezone.now())
        return qs

    def ready(self, value=True):
        """Teams that are (or, with value=False, are not) ready; needs `with_readiness()`."""
        return self.filter(ready=value)

    def _clone(self):
        clone = super()._clone()
        clone._readiness_on = self._readiness_on
        clone._readiness_later = self._readiness_later
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if not (fresh and self._result_cache and isinstance(self._result_cache[0], self.model)):
            return
        if self._readiness_later and not self._readiness_on:
            today, now = self._readiness_later
            rows = self.model._default_manager.filter(pk__in=[t.pk for t in self._result_cache])
            figures = {r["pk"]: r for r in rows.with_readiness(today=today, now=now).values("pk", *READINESS_FIELDS)}
            for team in self._result_cache:
                for name in READINESS_FIELDS:
                    setattr(team, name, figures[team.pk][name])
            attach_readiness(self._result_cache, today=today)
        elif self._readiness_on:
            attach_readiness(self._result_cache, today=self._readiness_on)


def attach_readiness(teams, *, today):
    """Give each team (annotated by `with_readiness`) its `Readiness`, reading the per-requirement
    figures of all of them in at most four queries."""
    qualification_req = _model("teams.TypeQualificationRequirement")
    equipment_req = _model("teams.TypeEquipmentRequirement")
    equipment = _model("teams.Equipment")
    team_ids = [t.pk for t in teams]
    type_ids = {t.team_type_id for t in teams}
    qualification_reqs, equipment_reqs = {}, {}
    for req in (
        qualification_req.objects.filter(team_type_id__in=type_ids).select_related("kind").order_by("kind__code")
    ):
        qualification_reqs.setdefault(req.team_type_id, []).append(req)
    for req in equipment_req.objects.filter(team_type_id__in=type_ids).select_related("item").order_by("item__code"):
        equipment_reqs.setdefault(req.team_type_id, []).append(req)
    holders, serviceable = {}, {}
    if qualification_reqs:
        kinds = {r.kind_id for reqs in qualification_reqs.values() for r in reqs}
        rows = (
            current_memberships(today)
            .filter(*_valid_qualification(today), team_id__in=team_ids, person__qualifications__kind_id__in=kinds)
            .filter(available_q(today, "person__"), person__physical_condition=PhysicalConditionChoices.FIT)
            .order_by()
            .values("team_id", "person__qualifications__kind_id")
            .annotate(n=Count("person_id", distinct=True))
        )
        holders = {(r["team_id"], r["person__qualifications__kind_id"]): r["n"] for r in rows}
    if equipment_reqs:
        items = {r.item_id for reqs in equipment_reqs.values() for r in reqs}
        rows = (
            equipment.objects.filter(
                team_id__in=team_ids, item_id__in=items, condition=EquipmentConditionChoices.SERVICEABLE
            )
            .order_by()
            .values("team_id", "item_id")
            .annotate(q=Sum("quantity"))
        )
        serviceable = {(r["team_id"], r["item_id"]): r["q"] for r in rows}
    for team in teams:
        team._readiness = _readiness(team, qualification_reqs, equipment_reqs, holders, serviceable)


def _readiness(team, qualification_reqs, equipment_reqs, holders, serviceable):
    headcount = team.current_headcount
    minimum = team.team_type.min_headcount
    result = Readiness(
        ready=team.ready,
        headcount=headcount,
        fit_headcount=team.fit_headcount,
        available_headcount=team.available_headcount,
        authorised_strength=team.authorised_strength,
        min_headcount=minimum,
        standby_now=team.standby_now,
        standby_next_7_days=team.standby_soon,
    )
    if team.status != TeamStatusChoices.ACTIVE:
        result.reasons.append(gettext("The team is not active (%(status)s).") % {"status": team.get_status_display()})
    if headcount < minimum:
        result.reasons.append(
            gettext("Headcount %(headcount)d is below the minimum of %(minimum)d for this type of team.")
            % {"headcount": headcount, "minimum": minimum}
        )
    elif team.available_headcount < minimum:
        result.reasons.append(
            gettext(
                "Only %(available)d of %(headcount)d members are available today (%(unavailable)d unavailable); "
                "the type requires %(minimum)d."
            )
            % {
                "available": team.available_headcount,
                "headcount": headcount,
                "unavailable": headcount - team.available_headcount,
                "minimum": minimum,
            }
        )
    for req in qualification_reqs.get(team.team_type_id, []):
        n = holders.get((team.pk, req.kind_id), 0)
        check = QualificationCheck(
            kind=req.kind,
            required_share=req.min_share,
            holders=n,
            share=n * 100 // headcount if headcount else 0,
            met=headcount > 0 and n * 100 >= req.min_share * headcount,
        )
        result.qualifications.append(check)
        if not check.met and not headcount:
            result.reasons.append(
                gettext("No current member holds a valid “%(kind)s”; the type requires %(required)d%%.")
                % {"kind": req.kind, "required": req.min_share}
            )
        elif not check.met:
            result.reasons.append(
                gettext(
                    "Only %(holders)d of %(headcount)d members (%(share)d%%) are fit for duty, available and hold "
                    "a valid “%(kind)s”; the type requires %(required)d%%."
                )
                % {
                    "holders": n,
                    "headcount": headcount,
                    "share": check.share,
                    "kind": req.kind,
                    "required": req.min_share,
                }
            )
    for req in equipment_reqs.get(team.team_type_id, []):
        have = serviceable.get((team.pk, req.item_id), 0)
        check = EquipmentCheck(item=req.item, required=req.min_quantity, serviceable=have, met=have >= req.min_quantity)
        result.equipment.append(check)
        if not check.met:
            result.reasons.append(
                gettext("Only %(have)d serviceable “%(item)s”; the type requires %(required)d.")
                % {"have": have, "item": req.item, "required": req.min_quantity}
            )
    if headcount < team.authorised_strength:
        result.warnings.append(
            gettext("Headcount %(headcount)d is below the authorised strength of %(strength)d.")
            % {"headcount": headcount, "strength": team.authorised_strength}
        )
    elif headcount > team.authorised_strength:
        result.warnings.append(
            gettext("Headcount %(headcount)d exceeds the authorised strength of %(strength)d.")
            % {"headcount": headcount, "strength": team.authorised_strength}
        )
    if not team.standby_now:
        result.warnings.append(gettext("No standby duty covers the present time."))
    if not team.standby_soon:
        result.warnings.append(gettext("No standby duty is scheduled in the next 7 days."))
    return result


class ActivationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """An activation is seen by whoever sees its region, and by whoever sees one of the
        teams it calls out (so a liaison sees the call-outs of its unit's teams)."""
        called_out = _model("teams.ActivationTeam").objects.visible_to(user).values("activation_id")
        return self.filter(scope_q(self.model, user) | Q(pk__in=called_out))
