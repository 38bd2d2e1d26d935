"""Excel (.xlsx) downloads of the open-data tables: each region's open demands.

A small SpreadsheetML writer rather than openpyxl: the same rows go into the
province's, the city's and the county's file, so each record's cells are made
once; every zip entry carries a fixed time and the document properties the
content's own newest date, so the same content gives the same bytes (openpyxl
stamps the clock into both). Text is always written as text, never as a formula.
"""
from __future__ import annotations

import functools
import io
import zipfile
from xml.sax.saxutils import escape

_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '</Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        '</Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'),
}
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
         'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title>'
         '<dcterms:modified xsi:type="dcterms:W3CDTF">{date}T00:00:00Z</dcterms:modified></cp:coreProperties>')
FIXED_TIME = (2000, 1, 1, 0, 0, 0)


@functools.cache  # every cell of every row asks again
def column_letter(number: int) -> str:
    """A spreadsheet column's letters: 1 -> A, 26 -> Z, 27 -> AA (openpyxl, which reads and
    writes the import template, is not loaded by a build for this alone)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell(value) -> tuple[str, str] | None:
    """(type, inner XML) of a cell; None for an empty one."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, (int, float)):
        return "n", f"<v>{int(value) if float(value).is_integer() else value!r}</v>"
    if isinstance(value, list):
        value = "；".join(" ".join(map(str, item.values())) if isinstance(item, dict) else str(item) for item in value)
    text = escape(str(value))
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return "inlineStr", f"<is><t{space}>{text}</t></is>"


def _row(number: int, cells: list, style: str = "") -> str:
    parts = [f'<row r="{number}">']
    for column, cell in enumerate(cells, start=1):
        if cell is not None:
            kind, inner = cell
            parts.append(f'<c r="{column_letter(column)}{number}" t="{kind}"{style}>{inner}</c>'
                         if kind != "n" else f'<c r="{column_letter(column)}{number}"{style}>{inner}</c>')
    parts.append("</row>")
    return "".join(parts)


def workbook(sheet_name: str, title: str, headers: list[str], rows: list[list], newest: str | None) -> bytes:
    """An .xlsx of one sheet: a bold, frozen header row, then `rows` (lists of cells from `cells`);
    `newest` (YYYY-MM-DD, the content's newest date) stamps the document properties."""
    widths = "".join(f'<col min="{n}" max="{n}" width="{28 if n <= 3 else 16}" customWidth="1"/>'
                     for n in range(1, len(headers) + 1))
    sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
             'state="frozen"/></sheetView></sheetViews>', f"<cols>{widths}</cols><sheetData>",
             _row(1, [_cell(h) for h in headers], ' s="1"')]
    sheet += [_row(number, cells) for number, cells in enumerate(rows, start=2)]
    sheet.append("</sheetData></worksheet>")
    parts = {**_PARTS, "xl/workbook.xml": _WORKBOOK.format(name=escape(sheet_name[:31], {'"': "&quot;"})),
             "docProps/core.xml": _CORE.format(title=escape(title), date=newest or "2000-01-01"),
             "xl/worksheets/sheet1.xml": "".join(sheet)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "xl/workbook.xml",
                     "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, parts[name].encode("utf-8"))
    return out.getvalue()


def cells(values: list) -> list:
    """A record's cells, made once and reused in every file that lists it."""
    return [_cell(value) for value in values]
