"""Reads that combine several querysets: the rates table against the targets, competition
standings and the drill report."""

from django.utils import timezone

from .models import Assessment, Attendance, GradeThresholds

__all__ = ["competition_standings", "drill_report", "rates_table"]


def _met(rate, target):
    return None if rate is None else rate > target


def rates_table(*, user, by, year=None):
    """Participation, good-or-better and excellent rates per group, as the user may see them,
    each against the year's targets. Every count and ratio is computed by the database; the two
    grouped queries are joined here on their key."""
    targets = GradeThresholds.for_year(year or timezone.localdate().year)
    attendance = {row["key"]: row for row in Attendance.objects.visible_to(user).participation_by(by, year)}
    grades = {row["key"]: row for row in Assessment.objects.visible_to(user).grade_rates_by(by, year)}
    results = []
    for key in sorted(attendance.keys() | grades.keys(), key=lambda k: (str(type(k)), k)):
        a, g = attendance.get(key, {}), grades.get(key, {})
        row = {
            "key": key,
            "label": a.get("label", g.get("label")),
            "expected": a.get("expected", 0),
            "present": a.get("present", 0),
            "participation_rate": a.get("participation_rate"),
            "assessed": g.get("assessed", 0),
            "good_or_better": g.get("good_or_better", 0),
            "excellent": g.get("excellent", 0),
            "good_rate": g.get("good_rate"),
            "excellent_rate": g.get("excellent_rate"),
        }
        row["participation_met"] = _met(row["participation_rate"], targets.participation_target)
        row["excellent_met"] = _met(row["excellent_rate"], targets.excellent_target)
        results.append(row)
    return {
        "by": by,
        "year": year,
        "targets": {"participation": targets.participation_target, "excellent": targets.excellent_target},
        "results": results,
    }


def competition_standings(*, competition, user):
    """The standings of `competition`, ranked among every team that took part, with the rows of
    the teams `user` may see: a liaison learns where its own team really stands without being
    shown the other units' teams."""
    from teams.models import Team

    visible = set(
        Team.objects.visible_to(user)
        .filter(assessments__exercise__competition=competition)
        .values_list("pk", flat=True)
    )
    return {
        "stages": [a for a in Assessment.objects.stage_standings(competition) if a.team_id in visible],
        "overall": [row for row in Assessment.objects.overall_standings(competition) if row["team_id"] in visible],
    }


def drill_report(*, drill, user):
    """Per member unit taking part (the drill's own, those of its teams and of its exercises'
    teams): the attendance figures of the drill's exercises and each person's status. A unit
    nobody was recorded for is listed with zeros: a unit that stayed away must show."""
    from mobilization.models import MemberUnit

    from .services import drill_participating_units

    rows = Attendance.objects.visible_to(user).filter(exercise__drill=drill)
    people = {}
    for attendance in rows.select_related("person", "team", "exercise").order_by("team__unit_id", "person__name"):
        people.setdefault(attendance.team.unit_id, []).append(attendance)
    figures = {unit["unit_id"]: unit for unit in rows.by_unit()}
    participating = MemberUnit.objects.visible_to(user).filter(pk__in=drill_participating_units(drill).values("pk"))
    for pk, name in participating.values_list("pk", "name"):
        figures.setdefault(
            pk,
            {"unit_id": pk, "unit_name": name, "expected": 0, "present": 0, "excused": 0, "absent": 0,
             "participation_rate": None},
        )  # fmt: skip
    ordered = sorted(figures.values(), key=lambda unit: (unit["unit_name"] or "", unit["unit_id"] or 0))
    units = [{**unit, "people": people.get(unit["unit_id"], [])} for unit in ordered]
    return {"drill": drill.pk, "units": units}
