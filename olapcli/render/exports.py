"""Tables written for spreadsheets: CSV (UTF-8 with BOM) and XLSX, safe to open.

No cell can start a formula. In CSV, which has no types, text beginning with
= + - @ (or a tab or carriage return) gets a leading apostrophe, as OWASP
recommends. In XLSX every text cell is stored as text (never as a formula) and
marked « quote prefix », so « +33 6 12 34 56 78 » stays a readable phone number
and stays text if someone edits the cell.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.derive.impact import MetricsReport

_DANGER = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> Any:
    """A value made safe for a spreadsheet cell (numbers and booleans unchanged)."""
    if isinstance(value, str) and value.startswith(_DANGER):
        return "'" + value
    return value


def csv_bytes(header: list[str], rows: list[list[Any]], sep: str = ",") -> bytes:
    """CSV with a BOM (so Excel reads UTF-8), every field neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerow([cell_text(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else cell_text(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows); text cells typed as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for r, values in enumerate([header, *rows], start=1):
            for c, value in enumerate(values, start=1):
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, str):
                    cell.value = value
                    cell.data_type = "s"  # stored as text: never a formula
                    if value.startswith(_DANGER):
                        cell.quotePrefix = True
                else:
                    cell.value = value
                if r == 1:
                    cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def metrics_sheets(
    report: MetricsReport, header: list[str], rows: list[list[Any]]
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The sheets of the ``olap metrics`` workbook: the Annexe 7 table, the statistics,
    the label and who falls short, the annex of needs, the coverage."""
    from olapcli.core.derive.stats import Statistic
    from olapcli.render import verdicts

    stats = [verdicts.cells(Statistic(**s.model_dump())) for s in report.statistics]
    annex = [
        [
            a.key,
            a.activity,
            a.activity_title,
            a.practice,
            a.identified.isoformat(),
            a.due.isoformat(),
            a.detail,
            " ; ".join(a.resources),
        ]
        for a in report.annex
    ]
    label = report.label
    label_rows = [
        [
            _("granted") if label.granted else _("not granted"),
            round(label.share, 4),
            label.required_share,
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
    ]
