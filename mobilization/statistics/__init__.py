"""Situation statistics: the registry of sections computed in the database, the reporting cycle
(reports prepared, submitted, approved and locked), scheduled snapshots with their workbooks,
and the bulk scale-up of the demo."""
