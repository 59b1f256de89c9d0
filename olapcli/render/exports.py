"""Tables written for spreadsheets: CSV and XLSX, safe to open, opened as they are.

CSV comes in two dialects (:data:`DIALECTS`): ``fr``, what a French spreadsheet opens
as it is — « ; » between fields, a decimal comma, dates as 12/11/2026, and a BOM so that
Excel reads UTF-8; and ``rfc4180``, the plain form programs expect — « , », a decimal
point, ISO dates, no BOM. XLSX cells are typed: numbers and dates are numbers and dates
with a number format (a share as a percentage, a date as dd/mm/yyyy), each sheet with
its header row frozen, an autofilter and columns wide enough to read.

No cell can start a formula. In CSV, which has no types, text beginning with
= + - @ (or a tab or carriage return) gets a leading apostrophe, as OWASP
recommends. In XLSX every text cell is stored as text (never as a formula) and
marked « quote prefix », so « +33 6 12 34 56 78 » stays a readable phone number
and stays text if someone edits the cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import TYPE_CHECKING, Any

from olapcli.core.derive.quality import Days, Share
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.derive.impact import MetricsReport

_DANGER = ("=", "+", "-", "@", "\t", "\r")

#: CSV dialect -> (field separator, decimal mark, date format, BOM)
DIALECTS: dict[str, tuple[str, str, str, bool]] = {
    "fr": (";", ",", "%d/%m/%Y", True),
    "rfc4180": (",", ".", "%Y-%m-%d", False),
}


def cell_text(value: Any) -> Any:
    """A value made safe for a spreadsheet cell (numbers and booleans unchanged)."""
    if isinstance(value, str) and value.startswith(_DANGER):
        return "'" + value
    return value


def csv_bytes(header: list[str], rows: list[list[Any]], dialect: str = "fr") -> bytes:
    """CSV in *dialect* (:data:`DIALECTS`), every text field neutralised; numbers written
    whole (no thousands separator, up to six decimals), a share as its number (0,64)."""
    sep, mark, day, bom = DIALECTS[dialect]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerow([cell_text(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v, mark, day) for v in row])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def _csv_cell(value: Any, mark: str, day: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return cell_text(value)
    if isinstance(value, int):  # bool among them
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return text.replace(".", mark) if text != "-0" else "0"
    if isinstance(value, dt.date):
        return value.strftime(day)
    return cell_text(str(value))


#: the number format of a typed XLSX cell, by the value's type (other floats: General)
NUMBER_FORMATS: dict[type, str] = {
    Share: "0%",
    Days: "0.0",
    int: "#,##0",
    dt.date: "dd/mm/yyyy",
    dt.datetime: "dd/mm/yyyy hh:mm",
}
#: the narrowest and widest a column goes, in characters
WIDTHS = (6, 60)


def xlsx_bytes(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows): text cells typed as text,
    numbers and dates as such with their number format (:data:`NUMBER_FORMATS`); on each
    sheet the header row frozen and filtered, the columns sized to their contents.

    Written row by row (openpyxl's write-only mode): at 10,000 learners the annex alone
    has 60,000 rows, and a workbook kept whole in memory takes a third longer to save."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for c, width in enumerate(_widths(header, rows), start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
        sheet.freeze_panes = "A2"
        if header:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        heads = [WriteOnlyCell(sheet, value=h) for h in header]
        for cell in heads:
            cell.data_type = "s"  # text, whatever it starts with
            cell.quotePrefix = cell.value.startswith(_DANGER)
            cell.font, cell.alignment = bold, wrap
        sheet.append(heads)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, WriteOnlyCell, v) for v in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _xlsx_cell(sheet: Any, make: Any, value: Any) -> Any:
    """A cell's value for ``sheet.append``: a typed cell where the value needs a type or a
    format, the value itself otherwise (plain text, a plain number, nothing)."""
    kind = type(value)
    if kind is str:
        if not value.startswith(_DANGER):
            return value  # text (openpyxl makes a formula only of a text starting with =)
        cell = make(sheet, value=value)
        cell.data_type = "s"  # stored as text: never a formula
        cell.quotePrefix = True
        return cell
    if kind is float and not math.isfinite(value):
        return None  # no number to give (openpyxl would write an invalid file)
    shape = NUMBER_FORMATS.get(kind)
    if shape is None:
        return value
    cell = make(sheet, value=value)
    cell.number_format = shape
    return cell


def _widths(header: list[str], rows: list[list[Any]]) -> list[int]:
    """Each column's width: its widest cell, in characters, within :data:`WIDTHS`."""
    widths = [_header_width(h) for h in header]
    for row in rows:
        for c, value in enumerate(row):
            size = 10 if isinstance(value, dt.date) else len(str(value)) if value is not None else 0
            if size > widths[c]:
                widths[c] = size
    return [min(max(w, WIDTHS[0]), WIDTHS[1]) + 2 for w in widths]


def _header_width(header: str) -> int:
    """The width a header asks of its column: it wraps on its words past 20 characters."""
    longest = max((len(word) for word in header.split()), default=0)
    return max(longest, min(len(header), 20))


def search_headers() -> list[str]:
    """The contract search's column titles, after the learner (the XLSX's last sheet, the
    CSV's last columns)."""
    return [
        _("Companies contacted"),
        _("Needs collected"),
        _("Needs per company"),
        _("Internships"),
        _("Contracts"),
        _("Median days to the contract"),
    ]


#: the contract search's figures, in the order of :func:`search_headers`
SEARCH_FIELDS = (
    "prospects",
    "needs",
    "needs_per_prospect",
    "internships",
    "contracts",
    "median_days_to_contract",
)


def with_search(
    header: list[str], rows: list[list[Any]], search: dict[str, Any]
) -> tuple[list[str], list[list[Any]]]:
    """The Annexe 7 table as ``olap metrics --format csv`` gives it: the contract search
    (*search*, the JSON's ``pipeline``) after the table's other sections, as six more
    columns — filled for each learner who approached a company, empty for the others —
    and, when someone did, a last row « All learners » with the cohort's figures in those
    columns only. Each row's key is its first cell."""
    mine = {r["key"]: r for r in search.get("learners", [])}
    none = [None] * len(SEARCH_FIELDS)
    out = [
        [*row, *([mine[row[0]][f] for f in SEARCH_FIELDS] if row[0] in mine else none)]
        for row in rows
    ]
    if mine:
        total = [search["total"][f] for f in SEARCH_FIELDS]
        out.append([_("All learners"), *[None] * (len(header) - 1), *total])
    return [*header, *search_headers()], out


def metrics_sheets(
    report: MetricsReport, header: list[str], rows: list[list[Any]]
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The sheets of the ``olap metrics`` workbook: the Annexe 7 table, the statistics,
    the label and who falls short, the annex of needs, the coverage, the contract search
    (per learner who approached a company, then all of them)."""
    from olapcli.core.derive.stats import Statistic
    from olapcli.render import verdicts

    stats = [verdicts.cells(Statistic(**s.model_dump())) for s in report.statistics]
    annex = [
        [
            a.key,
            a.activity or "",  # a competence of its practice's grid alone: its title next
            a.activity_title,
            a.practice,
            a.identified,
            a.due,
            a.detail,
            " ; ".join(a.resources),
        ]
        for a in report.annex
    ]
    label = report.label
    label_rows = [
        [
            _("granted") if label.granted else _("not granted"),
            Share(label.share),
            Share(label.required_share),
            label.min_needs,
            ", ".join(label.columns),
            label.per,
        ]
    ]
    short = [
        [s.get("learner") or s["key"], ", ".join(f"{u}: {m}" for u, m in s["missing"].items())]
        for s in label.short
    ]
    coverage = [
        [c.key, *(len(c.states[k]) for k in ("A", "R", "EC", "not_seen", "not_feasible"))]
        for c in report.coverage
    ]
    search = report.pipeline or {}
    search_rows = [
        [r["key"], *(r[f] for f in SEARCH_FIELDS)]
        for r in [
            *search.get("learners", []),
            *([{"key": _("All learners"), **search["total"]}] if search.get("learners") else []),
        ]
    ]
    return [
        (_("Annexe 7 table"), header, rows),
        (_("Statistics"), verdicts.cells_header(), stats),
        (
            _("Label"),
            [
                _("Result"),
                _("Share meeting it"),
                _("Share required"),
                _("Minimum"),
                _("Columns"),
                _("Per"),
            ],
            label_rows,
        ),
        (_("Falling short"), [_("Learner"), _("Missing needs")], short),
        (
            _("Annex"),
            [
                _("Key"),
                _("Activity"),
                _("Title"),
                _("Practice"),
                _("Identified"),
                _("Due"),
                _("Detail"),
                _("Resources"),
            ],
            annex,
        ),
        (_("Coverage"), [_("Key"), "A", "R", "EC", _("Not yet seen"), _("Not feasible")], coverage),
        (
            _("Contract search"),
            [_("Key"), *search_headers()],
            search_rows,
        ),
    ]
