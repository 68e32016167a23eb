"""What the benchmark commands share: the users they act as, one per office level.

`bench_api` and `bench_load` act as a superuser (the whole nation) and the office of a province,
of a city in it and of a district in that city: the city and district are the first of each below
that have teams, so every level has rows to read."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from mobilization.choices import RoleChoices
from mobilization.models import Region
from mobilization.querysets import region_prefix
from mobilization.services import user_assign_role

__all__ = ["BENCH_SUPERUSER", "BENCH_USER", "LEVELS", "level_users"]

BENCH_USER = "bench_office"
BENCH_SUPERUSER = "bench_superuser"
LEVELS = ("superuser", "province", "city", "district")


def level_users(region_code: str | None, levels) -> list[tuple[str, object]]:
    """(label, user) for each level asked, under the province `region_code` (Shandong by default,
    else the first province)."""
    top = Region.objects.filter(pk=region_code or "370000000000").first() or (
        None if region_code else Region.objects.filter(level="province").order_by("code").first()
    )
    if top is None:
        raise CommandError("no region: load the demo first (seed_demo --scale province)")
    regions = {"province": top}
    regions["city"] = _first_below(top, "city") or top
    regions["district"] = _first_below(regions["city"], "county") or regions["city"]
    users = []
    for level in levels:
        if level == "superuser":
            user, _ = get_user_model().objects.get_or_create(
                username=BENCH_SUPERUSER, defaults={"is_superuser": True, "is_staff": True}
            )
            users.append(("superuser", user))
            continue
        at = regions[level]
        name = BENCH_USER if at == top else f"{BENCH_USER}_{at.code}"
        users.append((f"{level} {at.name}", user_assign_role(username=name, role=RoleChoices.OFFICE_STAFF, region=at)))
    return users


def _first_below(region, level):
    from teams.models import Team

    with_teams = Team.objects.filter(region__code__startswith=region_prefix(region.code)).values("region_id")
    for child in Region.objects.filter(level=level, parent=region).order_by("code"):
        if with_teams.filter(region__code__startswith=region_prefix(child.code)).exists():
            return child
    return None
