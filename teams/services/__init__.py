"""Services of the teams app, by subject: activations of teams (`activations`), the call-out of
people and their answers (`callouts`) and the escalation of the silent (`escalation`).
The admin, the API, the portal and Celery tasks call these; `from teams.services import X` reaches each."""

from .activations import (
    _notify_callout,  # noqa: F401  (tests reach it here)
    activation_acknowledge,
    activation_deploy,
    activation_order,
    activation_stand_down,
)
from .callouts import callout_answer, callout_checkin, callout_people, callout_text
from .comm_test import drill_callout_test
from .escalation import callout_escalate

__all__ = [
    "activation_acknowledge",
    "activation_deploy",
    "activation_order",
    "activation_stand_down",
    "callout_answer",
    "callout_checkin",
    "callout_escalate",
    "callout_people",
    "callout_text",
    "drill_callout_test",
]
