"""A report (selectors.reports) written as PDF or XLSX, in memory.

Synchronous: a report is one activation or drill — tens to a few hundred rows, the timeline
capped at TIMELINE_LIMIT — written in well under a second, so the request answers with the file
(base64, as riskExport does) rather than through a job.

Chinese: the PDF uses reportlab's built-in CID font STSong-Light (Adobe-GB1, no font file);
XLSX cells are Unicode already."""

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone

from apps.emergency.selectors.reports import Report

FORMATS = ("pdf", "xlsx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CJK_FONT = "STSong-Light"
# A spreadsheet runs a cell starting with one of these as a formula (formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ReportFile:
    filename: str
    content_type: str
    content: bytes
    row_count: int


def report_file(report: Report, file_format: str) -> ReportFile:
    if file_format not in FORMATS:
        raise ValueError(f"file_format is one of {FORMATS}, not {file_format!r}")
    content = _pdf(report) if file_format == "pdf" else _xlsx(report)
    return ReportFile(
        filename=f"{report.subject}.{file_format}",
        content_type=CONTENT_TYPES[file_format],
        content=content,
        row_count=report.row_count,
    )


def sheet_name(title: str) -> str:
    """The English half of a bilingual section title ("时间线 Timeline" → "Timeline"): sheet
    names are at most 31 characters and some characters are not allowed."""
    english = title.split(" ", 1)[-1]
    return "".join(ch for ch in english if ch not in "[]:*?/\\")[:31]


def _cell(value: str) -> str | None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS):
        value = "'" + value
    return value or None


def _xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    book.properties.title = report.title
    bold = Font(bold=True)
    for section in report.sections:
        sheet = book.create_sheet(sheet_name(section.title))
        sheet.append([_cell(h) for h in section.header])
        for cell in sheet[1]:
            cell.font = bold
        for row in section.rows:
            sheet.append([_cell(value) for value in row])
        if section.note:
            sheet.append([])
            sheet.append([_cell(section.note)])
        for index, _ in enumerate(section.header):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            sheet.column_dimensions[letter].width = 18 if index else 24
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def _pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceBefore=6)
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20)
    page = landscape(A4)
    width = page[0] - 30 * mm

    def para(text: str, style=body):
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story = [
        para(report.title, title),
        para(f"{timezone.localtime():%Y-%m-%d %H:%M} ({timezone.get_current_timezone_name()})"),
    ]
    for section in report.sections:
        story += [Spacer(1, 4 * mm), para(section.title, heading)]
        rows = [[para(h) for h in section.header]]
        rows += [[para(value) for value in row] for row in section.rows]
        if not section.rows:
            rows.append([para("—")] + [para("") for _ in section.header[1:]])
        table = Table(rows, colWidths=[width / len(section.header)] * len(section.header))
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
        if section.note:
            story.append(para(section.note))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm, title=report.title
    )
    document.build(story)
    return buffer.getvalue()
