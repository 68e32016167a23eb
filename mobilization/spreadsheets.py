"""Spreadsheets written from what users typed never hold formulas: a text that starts like one
(= + - @, a tab or a carriage return) is stored as text, quoted, so Excel or WPS never runs it."""

from openpyxl.cell import WriteOnlyCell

__all__ = ["FORMULA_STARTS", "safe_row"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_row(sheet, values):
    """The cells of one row of a write-only `sheet`, every formula-like text stored as text."""
    cells = []
    for value in values:
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.quotePrefix = True
            cells.append(cell)
        else:
            cells.append(value)
    return cells
