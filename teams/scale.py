"""The teams' share of the benchmark volume (`seed_demo --scale`, see mobilization/scale.py):
26 teams per county, a third of them at a township, each of a type in turn."""

import datetime

from mobilization.scale import bulk

from .choices import TeamLevelChoices
from .models import Team, TeamType

__all__ = ["TEAMS_PER_COUNTY", "seed_city"]

TEAMS_PER_COUNTY = 26
STRENGTH_FLOOR = 16  # authorised strength: this and up to four more


def seed_city(ctx, city):
    types = list(TeamType.objects.order_by("code"))
    teams = []
    for ci, county in enumerate(city.counties):
        units, townships = city.units_by_county[ci], city.townships_by_county[ci]
        for t in range(TEAMS_PER_COUNTY):
            team_type = types[(ci * TEAMS_PER_COUNTY + t) % len(types)]
            township = t % 3 == 2
            region = townships[t % len(townships)] if township else county
            teams.append(
                Team(
                    name=f"{region.name}{team_type.name}{t + 1}队",
                    team_type=team_type,
                    level=TeamLevelChoices.TOWNSHIP if township else TeamLevelChoices.COUNTY,
                    region=region,
                    unit=units[t % len(units)],
                    authorised_strength=STRENGTH_FLOOR + city.rng.randrange(0, 5),
                    established=datetime.date(2020, 1, 1),
                )
            )
    teams = bulk(Team, teams)
    city.teams_by_county = [teams[i * TEAMS_PER_COUNTY : (i + 1) * TEAMS_PER_COUNTY] for i in range(len(city.counties))]
