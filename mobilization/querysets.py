"""Scoping: the one place that decides which rows a user may see.

Every scoped model declares, in one line, how it reaches a region and/or a member unit:

    scope = Scope(region="team__region", unit="team__unit")

and `Model.objects.visible_to(user)` turns the user's role into one indexed filter: a
region-code prefix (`LIKE '3703%'`) or a member-unit tree-path prefix. The admin, the API
and the portal all call `visible_to`; nothing else filters by user.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .choices import RoleChoices

__all__ = [
    "Scope",
    "ScopedQuerySet",
    "editable",
    "region_ancestors",
    "region_prefix",
    "scope_path",
    "scope_q",
    "user_profile",
    "user_role",
]

# Significant digits of a 12-digit code at each level (GB/T 2260 and the township/village extension).
LEVEL_DIGITS = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}


def region_prefix(code: str) -> str:
    """The prefix shared by a region's whole subtree: '370303000000' -> '370303'."""
    for digits in (2, 4, 6, 9):
        if code[digits:].strip("0") == "":
            return code[:digits]
    return code


def region_ancestors(code: str) -> list[str]:
    """The codes of the regions above a region: '370303000000' -> ['370000000000', '370300000000']."""
    prefix = region_prefix(code)
    return [prefix[:digits].ljust(12, "0") for digits in (2, 4, 6, 9) if digits < len(prefix)]


@dataclass(frozen=True)
class Scope:
    """How a model reaches the things roles are scoped by.

    region: lookup path to a Region foreign key (office staff, military liaison, and the
            grid roles when `grid` is set see rows under their region).
    unit:   lookup path to a MemberUnit foreign key (liaisons see rows of their unit and
            the units it manages).
    grid:   grid roles (inspector, station director) see this model in their grid.
    owner:  lookup path to the user who filed the row; inspectors see only their own.
    audit:  the auditor reads this model.
    reference: reference data (categories, types, kinds): every role may read all of it,
            as far as its group's permissions allow.
    self_user: lookup path to a user the row belongs to (notifications, profiles): that
            user always sees it, whatever the role.
    via:    a relation (forward foreign key, reverse one-to-many or many-to-many) to another scoped model,
            or a tuple of them: a row is also visible (read-only: see `editable_by`) when a
            related row is visible to the user, tested with one `IN (subquery)` each (e.g. a
            person is seen by the liaison of a team they serve in, through their team records,
            whoever employs them).
    inherited: rows of the regions above the user's are visible too (read-only): a city's
            9.18 alarm test concerns every district and township in it.
    system: the system administrator keeps every row (regions: reference data that other roles
            read by their region). With `reference`, the only models that role reaches.
    accounts: the security administrator reads every row (user profiles, and the regions they
            are bound to): the only models that role reaches, with reference data.
    regions: a reverse relation to a kept table of (row, region) pairs holding EVERY region
            through which the roles that read by region see the row, directly or through `via`
            (persons: their employer's region and their teams'). Those roles' scope is then one
            `pk IN (SELECT row FROM pairs WHERE region LIKE 'prefix%')`, an index range on the
            prefix, instead of the joins and an OR that make the database read every row.

    The two separated administrators reach nothing else, not even through `via`: they see no
    person, membership, business record or audit event, whatever relation leads there.
    """

    region: str | None = None
    unit: str | None = None
    grid: bool = False
    owner: str | None = None
    audit: bool = False
    reference: bool = False
    self_user: str | None = None
    via: str | tuple[str, ...] | None = None
    inherited: bool = False
    system: bool = False
    accounts: bool = False
    regions: str | None = None


NOTHING = Q(pk__in=[])


def scope_path(relation, field):
    """`team__region` + `code` -> `team__region__code`; "self" names the model itself."""
    return field if relation == "self" else f"{relation}__{field}"


def user_profile(user):
    """The user's profile with its member unit, loaded once per user object."""
    if not user or not user.is_authenticated:
        return None
    profile = getattr(user, "_scoping_profile", None)
    if profile is None:
        from .models import UserProfile

        # Only a profile found is kept: a user read before their profile was made (by the audit
        # trail, while the account is being set up) is looked up again next time.
        profile = UserProfile.objects.select_related("member_unit").filter(user=user).first()
        if profile is not None:
            user._scoping_profile = profile
    return profile


def user_role(user):
    """The user's role (a RoleChoices value), or None for users without a profile."""
    profile = user_profile(user)
    return profile.role if profile else None


def scope_q(model, user) -> Q:
    """The filter that restricts `model` to what `user` may see."""
    q = _direct_scope_q(model, user)
    scope: Scope = getattr(model, "scope", None) or Scope()
    if q == Q():
        return q
    if scope.regions and _reads_by_region(user, scope):
        return _kept_regions_q(model, scope, user)
    vias = (scope.via,) if isinstance(scope.via, str) else scope.via or ()
    for via in vias:
        via_q = _via_q(model, via, user)
        if via_q is not None:
            q = via_q if q == NOTHING else q | via_q
    if scope.inherited and scope.region and _reads_by_region(user, scope):
        q |= Q(**{f"{scope.region}__in": region_ancestors(user_profile(user).region_id)})
    return q


def _kept_pairs(model, scope, user):
    """The user's (row, region) pairs in the kept table, and the pair's column naming the row."""
    relation = model._meta.get_field(scope.regions)
    pairs = relation.related_model._base_manager.filter(
        region__code__startswith=region_prefix(user_profile(user).region_id)
    )
    return pairs, relation.field.attname


def _kept_regions_q(model, scope, user):
    """The rows seen under the user's region, read from the kept (row, region) table."""
    pairs, column = _kept_pairs(model, scope, user)
    q = Q(pk__in=pairs.values(column))
    if scope.self_user:
        q |= Q(**{scope.self_user: user})
    return q


def _kept_count(model, user):
    """How to count what `user` sees of `model` from the kept pairs alone (COUNT(DISTINCT row)
    over the prefix's index range), or None when the scope is not read from them. Counting the
    rows `pk IN (pairs)` instead makes PostgreSQL hash the pairs and scan the whole table: 40,000
    persons of a province among 1,000,000 cost a scan of the million."""
    scope: Scope = getattr(model, "scope", None) or Scope()
    if not scope.regions or scope.self_user or _direct_scope_q(model, user) == Q():
        return None
    if not _reads_by_region(user, scope):
        return None
    pairs, column = _kept_pairs(model, scope, user)
    return lambda: pairs.aggregate(n=models.Count(column, distinct=True))["n"]


def _rows_sql(queryset):
    """What decides a queryset's rows (its WHERE, joins, DISTINCT, slice), ordering left out."""
    return queryset.order_by().values("pk").query.sql_with_params()


def _reads_by_region(user, scope):
    """Whether the user's role sees `scope`'s model by region (not by unit, owner or not at all)."""
    profile = user_profile(user)
    if profile is None or not profile.region_id:
        return False
    grid_roles = (RoleChoices.INSPECTOR, RoleChoices.STATION_DIRECTOR)
    return profile.role in (RoleChoices.OFFICE_STAFF, RoleChoices.MILITARY_LIAISON) or (
        scope.grid and profile.role in grid_roles
    )


def _via_q(model, via, user):
    """Rows related through `via` to a row the user may see, as one IN (subquery); None if none."""
    field = model._meta.get_field(via)
    related = field.related_model
    related_q = scope_q(related, user)
    if related_q == NOTHING:
        return None
    if field.many_to_one or (field.one_to_one and not field.auto_created):
        return Q(**{f"{via}__in": related.objects.filter(related_q).values("pk")})
    if field.many_to_many:
        # Through the link table, still one IN (subquery): rows linked to any visible related row.
        linked = model._base_manager.filter(**{f"{via}__in": related.objects.filter(related_q).values("pk")})
        return Q(pk__in=linked.values("pk"))
    return Q(pk__in=related.objects.filter(related_q).values(field.field.attname))


def _direct_scope_q(model, user) -> Q:
    if not user or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    scope: Scope = getattr(model, "scope", None) or Scope()
    # Rows addressed to the user themself (notifications, own profile) are always theirs.
    own = Q(**{scope.self_user: user}) if scope.self_user else NOTHING
    if scope.reference:
        return Q()
    profile = user_profile(user)
    if profile is None:
        return own
    role = profile.role
    prefix = region_prefix(profile.region_id) if profile.region_id else None

    def by_region():
        if not scope.region or not prefix:
            return NOTHING
        # Regions are keyed by code, so "region__code" reads the foreign key column: no join.
        return Q(**{scope_path(scope.region, "code") + "__startswith": prefix})

    if role in (RoleChoices.OFFICE_STAFF, RoleChoices.MILITARY_LIAISON):
        return by_region() | own
    if role == RoleChoices.UNIT_LIAISON:
        if not scope.unit or profile.member_unit_id is None:
            return own
        return Q(**{scope_path(scope.unit, "tree_path") + "__startswith": profile.member_unit.tree_path}) | own
    if role in (RoleChoices.INSPECTOR, RoleChoices.STATION_DIRECTOR):
        if not scope.grid:
            return own
        q = by_region()
        if role == RoleChoices.INSPECTOR and scope.owner:
            q &= Q(**{scope.owner: user})
        return q | own
    if role == RoleChoices.AUDITOR:
        # Q() | x would collapse to x: full access must be returned on its own.
        return Q() if scope.audit else own
    if role == RoleChoices.SYSTEM_ADMIN:
        return Q() if scope.system else own
    if role == RoleChoices.SECURITY_ADMIN:
        return Q() if scope.accounts else own
    return own


class ScopedQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_count = None  # (count function, the rows' SQL it counts) from visible_to

    def _clone(self):
        clone = super()._clone()
        clone._scope_count = self._scope_count
        return clone

    def visible_to(self, user):
        """What `user` may read: its own scope, and rows reached through `Scope.via`."""
        scoped = self.filter(scope_q(self.model, user))
        if not self.query.where and not self.query.distinct and not self.query.is_sliced:
            counter = _kept_count(self.model, user)
            if counter is not None:
                scoped._scope_count = (counter, _rows_sql(scoped))
        return scoped

    def count(self):
        """Exact, as always. A list of everything the user sees, no more filtered than by the
        scope (an office's unsearched list, its page count), is counted from the kept pairs;
        any other filter changes the rows' SQL and the count is the usual COUNT(*)."""
        if self._scope_count is not None and self._result_cache is None:
            counter, rows_sql = self._scope_count
            if _rows_sql(self) == rows_sql:
                return counter()
        return super().count()

    def editable_by(self, user):
        """What `user` may change or delete as a record: its own scope only. A row seen only
        through `via` (a city exercise a district team takes part in) is read-only to them;
        the workflow actions on it (recording attendance, answering a call-out) check their
        own rules in the services."""
        return self.filter(_direct_scope_q(self.model, user))


def editable(obj, user):
    """Whether `user` may change or delete `obj` as a record (see `ScopedQuerySet.editable_by`);
    an unsaved object, or one of an unscoped model, is the permission system's alone to decide."""
    manager = type(obj)._default_manager
    if obj.pk is None or not hasattr(manager, "editable_by"):
        return True
    return manager.editable_by(user).filter(pk=obj.pk).exists()
