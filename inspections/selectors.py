"""Reads of the inspections app: who answers at each escalation level of an overdue order (the
chain itself is the core's, `mobilization.escalation`, shared with every overdue workflow).
Selectors only read; they never import services."""

from mobilization.escalation import ESCALATION_CHAIN, escalation_recipients

__all__ = ["ESCALATION_CHAIN", "escalation_recipients"]
