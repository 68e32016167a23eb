"""Distances on the ground between two positions (WGS-84 degrees)."""

import math

__all__ = ["distance_m"]

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance in metres (haversine): within a metre or so at a grid's scale."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))
