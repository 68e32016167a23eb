"""Writing spreadsheet cells from user-supplied text without letting it become a formula.

A name typed as `=HYPERLINK(...)` or `+1+cmd|...` must reach the reader as the characters
typed: every string goes in as a text cell, and one that starts with a character a
spreadsheet program reads as a formula (=, +, -, @, tab, carriage return) also carries the
quote prefix, so that editing the cell later does not turn it into one. The value reads back
unchanged. Every workbook the system writes goes through `write_row`."""

from openpyxl.cell import WriteOnlyCell

__all__ = ["FORMULA_STARTS", "safe_cell", "write_row"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(ws, value):
    """A cell of `ws` holding `value`; a string is always text, never a formula."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def write_row(ws, values):
    """Append `values` to `ws` (a normal or write-only sheet) as one row of safe cells."""
    ws.append([safe_cell(ws, value) for value in values])
