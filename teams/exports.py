"""The response board as an .xlsx workbook (text cells never read as formulas)."""

import io

from django.utils.translation import gettext as _

__all__ = ["board_workbook", "formula_safe"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """User text that a spreadsheet would take for a formula is written as text (a leading ')."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def board_workbook(board: dict) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Response board")[:31])
    ws.append([formula_safe(board["activation"]["title"])])
    headers = [
        _("Team"), _("Member unit"), _("Team type"), _("Called"), _("Delivered"), _("Coming"), _("Cannot come"),
        _("No answer"), _("Arrived"), _("Arriving within 15 min"), _("Within 30 min"), _("Within 60 min"),
        _("Later"), _("Minimum headcount"), _("Shortfall"), _("Qualifications short"),
    ]  # fmt: skip
    ws.append(headers)
    for row in [*board["teams"], {"team": {"name": _("Total")}, "unit": {}, "team_type": {}, **board["total"]}]:
        ws.append(
            [
                formula_safe(row["team"]["name"]),
                formula_safe(row["unit"].get("name", "")),
                formula_safe(row["team_type"].get("name", "")),
                *(row[k] for k in ("called", "delivered", "yes", "no", "silent", "arrived")),
                *(row[k] for k in ("eta_15", "eta_30", "eta_60", "eta_later", "min_headcount", "shortfall")),
                formula_safe(
                    "；".join(f"{g['kind']['name']} -{g['short']}" for g in row.get("qualifications", []) if g["short"])
                ),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
