"""Support teams (`core`: taxonomy, teams, equipment, standby, activations) and the call-out of
people with their answers (`callouts`)."""

from .callouts import PersonCall, PersonCallAnswer
from .core import (
    Activation,
    ActivationTeam,
    Equipment,
    EquipmentItem,
    StandbyDuty,
    Team,
    TeamCategory,
    TeamType,
    TypeEquipmentRequirement,
    TypeQualificationRequirement,
)

__all__ = [
    "Activation",
    "ActivationTeam",
    "Equipment",
    "EquipmentItem",
    "PersonCall",
    "PersonCallAnswer",
    "StandbyDuty",
    "Team",
    "TeamCategory",
    "TeamType",
    "TypeEquipmentRequirement",
    "TypeQualificationRequirement",
]
