"""Tables to xlsx and csv, shared by every export in the platform.

Exported cells are opened in spreadsheet programs, so a text cell that starts like a formula (`=`, `+`,
`-`, `@`, or a tab / carriage return that some programs strip first) is prefixed with an apostrophe and
shows as text instead of running. Numbers stay numbers.
"""

import csv
import io
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value):
    """A cell value that a spreadsheet shows as it is: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_bytes(headers: list[str], rows, title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([spreadsheet_safe(h) for h in headers])
    for row in rows:
        sheet.append([spreadsheet_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(headers: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(h) for h in headers])
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    return buffer.getvalue()


def download(body: bytes | str, filename: str, content_type: str) -> HttpResponse:
    """An attachment response; the file name may be Chinese (RFC 5987 filename*)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def table_response(headers: list[str], rows, filename_stem: str, fmt: str) -> HttpResponse:
    """The same table as xlsx (fmt "xlsx") or csv with a BOM so Excel reads the Chinese (fmt "csv")."""
    rows = list(rows)
    if fmt == "csv":
        body = "\ufeff" + csv_text(headers, rows)
        return download(body.encode("utf-8"), f"{filename_stem}.csv", "text/csv; charset=utf-8")
    return download(xlsx_bytes(headers, rows), f"{filename_stem}.xlsx", XLSX_MIME)
