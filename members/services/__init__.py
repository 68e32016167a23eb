"""Services of the roster, by subject: persons and their protected ID numbers (`persons`), the
roster-change validator (`roster_validation`) and workflow (`roster_changes`), file imports run as jobs (`roster_imports`), qualification
extensions and expiry warnings (`qualifications`), and the roster export (`export`).
Admin, API, portal and tasks call these; `from members.services import X` reaches each one."""

from .availability import person_set_availability
from .export import roster_export_workbook
from .fields import PERSON_FIELDS
from .persons import person_create, person_reveal_id_number, person_update
from .qualifications import qualification_kind_extend, qualifications_warn_expiring
from .roster_changes import (
    RosterChanged,
    roster_change_approve,
    roster_change_import,
    roster_change_reject,
    roster_change_submit,
    roster_change_withdraw,
)
from .roster_imports import (
    IMPORT_TASK,
    roster_import_queue,
    roster_import_run,
    roster_import_start,
    roster_imports_purge,
)
from .roster_validation import RosterRowsInvalid
from .scope import person_regions_refresh

__all__ = [
    "IMPORT_TASK",
    "PERSON_FIELDS",
    "RosterChanged",
    "RosterRowsInvalid",
    "person_create",
    "person_regions_refresh",
    "person_reveal_id_number",
    "person_set_availability",
    "person_update",
    "qualification_kind_extend",
    "qualifications_warn_expiring",
    "roster_change_approve",
    "roster_change_import",
    "roster_change_reject",
    "roster_change_submit",
    "roster_change_withdraw",
    "roster_export_workbook",
    "roster_import_queue",
    "roster_import_run",
    "roster_import_start",
    "roster_imports_purge",
]
