"""The roster spreadsheet: its columns (Chinese headers, fixed because files travel between
offices whatever the UI language), the downloadable template, reading an upload (.xlsx or .csv,
recognised by content) into rows, and writing the roster export."""

import csv
import datetime
import io

import filetype
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from mobilization.spreadsheets import write_row

__all__ = [
    "ACTION_VALUES",
    "COLUMNS",
    "HEADERS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "UploadRefused",
    "read_upload",
    "template_workbook",
    "workbook_bytes",
]

# key, header; the order is the template's.
COLUMNS = [
    ("action", "操作"),
    ("team", "队伍名称"),
    ("name", "姓名"),
    ("id_number", "公民身份号码"),
    ("phone", "手机号码"),
    ("employer", "工作单位"),
    ("role", "队内职务"),
    ("joined", "入队日期"),
    ("left", "离队日期"),
    ("specialty", "专业特长"),
    ("physical_condition", "身体状况"),
    ("political_status", "政治面貌"),
    ("veteran", "退役军人"),
    ("emergency_contact_name", "紧急联系人"),
    ("emergency_contact_phone", "紧急联系人电话"),
    # A qualification added or renewed for the row's person; appended so that older files still read.
    ("qualification_kind", "资质类别"),
    ("qualification_number", "证书编号"),
    ("qualification_issued", "发证日期"),
    ("qualification_expires", "有效期至"),
]
HEADERS = dict(COLUMNS)
KEYS_BY_HEADER = {header: key for key, header in COLUMNS}

# The values a cell may hold, in Chinese as the template lists them (the stored codes are accepted too).
ACTION_VALUES = {"新增": "add", "修改": "edit", "移出": "remove"}
ROLE_VALUES = {"队长": "leader", "副队长": "deputy", "队员": "member"}
PHYSICAL_VALUES = {"适合执勤": "fit", "良好": "fit", "限制执勤": "limited", "不适合执勤": "unfit"}
POLITICAL_VALUES = {"中共党员": "cpc", "共青团员": "cyl", "民主党派": "democratic", "群众": "masses"}
VETERAN_VALUES = {"是": True, "否": False}
VALUE_LISTS = {
    "action": ACTION_VALUES,
    "role": ROLE_VALUES,
    "physical_condition": PHYSICAL_VALUES,
    "political_status": POLITICAL_VALUES,
    "veteran": VETERAN_VALUES,
}
# Labels for writing codes back into a sheet (the first Chinese word of each code).
LABELS = {key: {code: word for word, code in reversed(values.items())} for key, values in VALUE_LISTS.items()}

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadRefused(Exception):
    """The file is not a roster spreadsheet: wrong type, unreadable, or not the template's columns."""


def template_workbook():
    """The empty roster template: one header row, drop-down lists, and a sheet explaining the columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册变更"
    write_row(ws, [header for _key, header in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for index, (key, _header) in enumerate(COLUMNS):
        letter = ws.cell(row=1, column=index + 1).column_letter
        ws.column_dimensions[letter].width = (
            18 if key in ("id_number", "team", "employer", "qualification_kind") else 12
        )
        if key in VALUE_LISTS:
            words = [w for w in VALUE_LISTS[key] if w != "良好"]
            validation = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(validation)
        if key in ("id_number", "phone", "emergency_contact_phone", "qualification_number"):
            # Text, so that Excel keeps 18-digit numbers whole instead of turning them into floats.
            # Set on the column, it covers every row a file may hold without writing a cell each.
            ws.column_dimensions[letter].number_format = "@"
    notes = wb.create_sheet("填写说明")
    write_row(notes, ["列", "说明"])
    for line in (
        ("操作", "新增：把人员加入队伍（新人员需填姓名）；修改：修改人员信息或队内职务；移出：人员离开队伍"),
        ("队伍名称", "本单位队伍的名称；新增时必填"),
        ("公民身份号码", "18位，最后一位可为X；每人只能出现一次"),
        ("手机号码", "11位手机号码"),
        ("工作单位", "本单位或所属单位名称；新增新人员时可空，默认为队伍所属单位"),
        ("队内职务", "队长、副队长、队员；默认队员"),
        ("入队日期 / 离队日期", "格式 2026-01-31；默认为提交当日"),
        ("身体状况", "适合执勤、限制执勤、不适合执勤"),
        ("政治面貌", "中共党员、共青团员、民主党派、群众"),
        ("退役军人", "是、否"),
        ("资质类别", "新增或换发的资质证书类别，填类别代码或名称；同一人员已有该类别证书时为换证，否则为新增"),
        ("证书编号", "资质证书编号，可空"),
        ("发证日期", "格式 2026-01-31；不能晚于提交当日；新增证书时必填"),
        ("有效期至", "格式 2026-01-31；不能早于发证日期；长期有效可空"),
    ):
        write_row(notes, list(line))
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 80
    return wb


def workbook_bytes(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_xlsx(content):
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        raise UploadRefused(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        ws = wb.worksheets[0]
        for values in ws.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
    finally:
        wb.close()


def _rows_from_csv(content):
    if b"\x00" in content[:4096]:
        raise UploadRefused(_("The file is neither an .xlsx workbook nor a CSV text file."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadRefused(_("The CSV file is not in UTF-8 or GB18030 encoding."))
    yield from ([cell.strip() for cell in row] for row in csv.reader(io.StringIO(text)))


def check_upload(upload) -> bytes:
    """The bytes of an upload whose size and type are acceptable, read once; UploadRefused if not.

    The type is told by content, never by name: an .xlsx is a zip holding a workbook, a CSV is
    text; anything else (images, PDFs, executables renamed .csv) is refused before it is kept."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(_("The file is larger than 10 MB."))
    content = upload.read()
    if not content:
        raise UploadRefused(_("The file is empty."))
    kind = filetype.guess(content[:8192])
    if content[:4] == b"PK\x03\x04":
        if kind is not None and kind.mime not in (XLSX_MIME, "application/zip"):
            raise UploadRefused(_("The file is neither an .xlsx workbook nor a CSV text file."))
    elif kind is not None:
        raise UploadRefused(_("The file is neither an .xlsx workbook nor a CSV text file."))
    return content


def read_upload(upload):
    """Rows of an uploaded roster file as (row number, {key: text}), header checked (the file's
    size and type first, by `check_upload`)."""
    content = check_upload(upload)
    rows = _rows_from_xlsx(content) if content[:4] == b"PK\x03\x04" else _rows_from_csv(content)
    rows = iter(rows)
    header = next(rows, None) or []
    keys = [KEYS_BY_HEADER.get(h.strip()) for h in header]
    missing = [h for k, h in COLUMNS if k in ("action", "id_number") and k not in keys]
    if missing:
        raise UploadRefused(
            _("The first row must hold the template's column headers; missing: %(columns)s.")
            % {"columns": "、".join(missing)}
        )
    result = []
    for number, values in enumerate(rows, start=2):
        record = {key: values[i] for i, key in enumerate(keys) if key and i < len(values)}
        if any(record.values()):
            result.append((number, record))
        if len(result) > MAX_ROWS:
            raise UploadRefused(_("A file may hold at most %(n)d rows.") % {"n": MAX_ROWS})
    return result
