"""Printable paperwork as plain data, rendered to xlsx (openpyxl) and to PDF (fpdf2).

A Document is a title, some lines and tables, and a place to sign and stamp: the shape of every form the
guideline asks a college or a university to file (Appendix C sheets, the 公示 list, the results notice,
the Appendix D batch, the Appendix F archive). Each app builds its documents from its own data; this
module only lays them out.

The PDF embeds a subset of Noto Sans CJK SC (SIL Open Font License), taken from the `mplfonts` package
the project installs: the file prints and reads the same on a machine with no Chinese fonts. fpdf2 is
used rather than reportlab because reportlab cannot embed a font with CFF outlines (every Noto CJK font
has them) and its built-in CID fonts are not embedded at all.
"""

import importlib.util
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FONT = "NotoSansSC"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # relative column widths; equal when None
    caption: str = ""


@dataclass
class Image:
    data: bytes
    caption: str = ""


@dataclass
class Photos:
    """Photos side by side in one row (up to four on an A4 width)."""

    images: list[bytes]
    caption: str = ""


@dataclass
class Document:
    title: str
    lines: list[str] = field(default_factory=list)  # under the title: who, which year, what it is
    blocks: list = field(default_factory=list)  # str (a paragraph), Table or Image, in order
    signature: list[str] = field(default_factory=list)  # the closing lines: 盖章, 日期
    sheet: str = ""  # the xlsx sheet's name; the title when empty


class FontMissing(RuntimeError):
    pass


@cache
def font_path() -> Path:
    """The embedded font: settings.PAPERWORK_FONT when set, else Noto Sans CJK SC from mplfonts."""
    configured = getattr(settings, "PAPERWORK_FONT", "")
    if configured:
        path = Path(configured)
    else:
        spec = importlib.util.find_spec("mplfonts")  # found, not imported: it would load matplotlib
        if spec is None or not spec.submodule_search_locations:
            raise FontMissing("mplfonts is not installed: pip install -e . installs it")
        path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE
    if not path.exists():
        raise FontMissing(f"font not found: {path}")
    return path


# ------------------------------------------------------------------------------------------------- PDF


def pdf(documents: list[Document]) -> bytes:
    """One PDF, each document starting on a new A4 page."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    out = FPDF(orientation="portrait", unit="mm", format="A4")
    out.set_auto_page_break(auto=True, margin=15)
    out.add_font(FONT, fname=str(font_path()))
    out.set_title(documents[0].title if documents else "")
    out.set_creator("科技小分队服务平台")
    heading = FontFace(fill_color=(235, 235, 235))
    for document in documents:
        out.add_page()
        out.set_font(FONT, size=15)
        out.multi_cell(0, 9, document.title, align="C", new_x="LMARGIN", new_y="NEXT")
        out.set_font(FONT, size=9.5)
        for line in document.lines:
            out.multi_cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
        out.ln(2)
        for block in document.blocks:
            _pdf_block(out, block, heading)
        if document.signature:
            out.ln(6)
            for line in document.signature:
                out.multi_cell(0, 7, line, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(out.output())


def _pdf_block(out, block, heading) -> None:
    if isinstance(block, str):
        out.multi_cell(0, 6, block, new_x="LMARGIN", new_y="NEXT")
        out.ln(1)
    elif isinstance(block, Table):
        if block.caption:
            out.set_font(FONT, size=11)
            out.multi_cell(0, 7, block.caption, new_x="LMARGIN", new_y="NEXT")
            out.set_font(FONT, size=9.5)
        widths = block.widths or [1] * len(block.header)
        with out.table(
            col_widths=widths,
            headings_style=heading,
            line_height=5.5,
            text_align="LEFT",
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            for values in [block.header, *block.rows]:
                row = table.row()
                for value in values:
                    row.cell(_text(value))
        out.ln(3)
    elif isinstance(block, Photos):
        _pdf_photos(out, block)
    elif isinstance(block, Image):
        try:
            out.image(io.BytesIO(block.data), w=80)
        except (OSError, ValueError, SyntaxError):  # a photo Pillow cannot read is named, not drawn
            out.multi_cell(0, 6, f"（图片无法显示）{block.caption}", new_x="LMARGIN", new_y="NEXT")
        else:
            if block.caption:
                out.multi_cell(0, 6, block.caption, new_x="LMARGIN", new_y="NEXT")
        out.ln(2)


def _pdf_photos(out, block: Photos) -> None:
    if block.caption:
        out.multi_cell(0, 6, block.caption, new_x="LMARGIN", new_y="NEXT")
    top, left, width, tallest = out.get_y(), out.l_margin, 42, 0
    if top + 34 > out.page_break_trigger:
        out.add_page()
        top = out.get_y()
    for index, data in enumerate(block.images[:4]):
        try:
            info = out.image(io.BytesIO(data), x=left + index * (width + 3), y=top, w=width)
        except (OSError, ValueError, SyntaxError):  # Pillow's errors for a file it cannot read
            continue  # an unreadable photo is left out; the form still prints
        tallest = max(tallest, info.rendered_height)
    out.set_y(top + tallest + 3)


def _text(value) -> str:
    return "" if value is None else str(value)


# ------------------------------------------------------------------------------------------------ xlsx

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def xlsx(documents: list[Document]) -> bytes:
    """One workbook, a sheet per document: title, lines, then each table under its caption."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    used = set()
    for document in documents:
        sheet = book.create_sheet(_sheet_name(document.sheet or document.title, used))
        sheet.append([document.title])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        for line in document.lines:
            sheet.append([line])
        for block in document.blocks:
            sheet.append([])
            if isinstance(block, str):
                sheet.append([block])
            elif isinstance(block, Table):
                if block.caption:
                    sheet.append([block.caption])
                    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
                sheet.append(block.header)
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
                    cell.fill = PatternFill("solid", fgColor="EEEEEE")
                for values in block.rows:
                    sheet.append([_cell(v) for v in values])
            elif isinstance(block, (Image, Photos)) and block.caption:
                sheet.append([f"（照片）{block.caption}"])
        if document.signature:
            sheet.append([])
            for line in document.signature:
                sheet.append([line])
        for column in sheet.columns:
            width = max((len(str(c.value)) for c in column if c.value is not None and c.row > 1), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width * 1.8))
            for c in column:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    """Numbers stay numbers (a sheet adds them up); a text that looks like a formula is written as text."""
    if isinstance(value, (int, float, Decimal)) or value is None:
        return value
    text = str(value)
    return "'" + text if text[:1] in "=+-@" and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _sheet_name(name: str, used: set) -> str:
    base = _SHEET_NAME_BAD.sub("", name).strip()[:28] or "Sheet"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base[:25]}({n})", n + 1
    used.add(candidate)
    return candidate


# ------------------------------------------------------------------------------------------ by kind

# The formats every paperwork download offers, by the name its address or query uses.
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def render(documents: list[Document], kind: str) -> bytes:
    """The documents as `kind` ("xlsx" or "pdf"; callers check it against MIME first)."""
    return xlsx(documents) if kind == "xlsx" else pdf(documents)
