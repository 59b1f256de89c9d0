"""``olap metrics``: the Annexe 7 impact table, its statistics and the label."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from olapcli.cli.common import out, period_options, refuse, root
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.derive.impact import MetricsReport

HELP = _(
    "The Annexe 7 table: one row per learner (pseudonymous key unless --identify), the "
    "number of anticipated imminent needs per practice, the indicators (rupture, exam, "
    "placement, absences, insertion, satisfaction), the statistics relating them, and the "
    "label « proactivité pour l'emploi ».\n\n"
    "Example: olap metrics --format xlsx --out impact.xlsx"
)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def metrics(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=_("Output format.")),
    out_file: Path | None = typer.Option(
        None, "--out", "-o", help=_("Write to this file instead of the screen (required for xlsx).")
    ),
    start: str | None = typer.Option(
        None, "--from", help=_("Count needs identified from this date.")
    ),
    end: str | None = typer.Option(None, "--to", help=_("Count needs identified up to this date.")),
    identify: bool = typer.Option(
        False,
        "--identify",
        help=_("Show learners' names (personal data: keep it inside the centre)."),
    ),
    sep: str = typer.Option(
        ",", "--sep", help=_("CSV separator: « , » or « ; » for French spreadsheets.")
    ),
) -> None:

    from olapcli.app.report import metrics_of

    if sep not in (",", ";", "\t"):
        refuse(_("The CSV separator must be « , », « ; » or a tab."))
    if fmt is Format.xlsx and out_file is None:
        refuse(_("An XLSX workbook is a file: give --out FILE.xlsx."))
    first, last = period_options(start, end)
    found = metrics_of(root(ctx), identify, first, last)
    report, header, rows = found.report, found.header, found.rows
    if fmt is Format.json:
        text = report.model_dump_json(indent=2, exclude_none=False) + "\n"
        _emit(text.encode("utf-8"), out_file)
    elif fmt is Format.csv:
        from olapcli.render.exports import csv_bytes

        _emit(csv_bytes(header, rows, sep), out_file)
    elif fmt is Format.xlsx:
        from olapcli.render.exports import metrics_sheets, xlsx_bytes

        assert out_file is not None
        _emit(xlsx_bytes(metrics_sheets(report, header, rows)), out_file)
    else:
        _print_table(report, header, rows, 2 if identify else 1)


def _emit(data: bytes, out_file: Path | None) -> None:
    import sys

    if out_file is None:
        sys.stdout.buffer.write(data)
        return
    from olapcli.io.files import atomic_write_bytes as write

    write(out_file, data)
    out.print(_("Written: {path}").format(path=out_file), markup=False)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _print_table(
    report: MetricsReport, header: list[str], rows: list[list[Any]], names: int
) -> None:
    from rich.table import Table

    from olapcli.core.derive.impact import indicator_label
    from olapcli.render.exports import reason_text

    table = Table(title=_("Annexe 7 — {cohort}").format(cohort=report.cohort))
    for i, h in enumerate(header):
        # the key and the name never break; counts and figures line up on the right
        table.add_column(
            str(h), overflow="fold", no_wrap=i < names, justify="left" if i < names else "right"
        )
    for row in rows:
        table.add_row(*[_cell(v) for v in row])
    out.print(table)
    stats = Table(title=_("Statistics"))
    for col in (_("Indicator"), _("Method"), "n", _("Value"), "p", _("Note")):
        stats.add_column(col)
    for s in report.statistics:
        stats.add_row(
            indicator_label(s.indicator),
            s.method,
            str(s.n),
            "—" if s.value is None else f"{s.value:.3f}",
            "—" if s.p is None else f"{s.p:.3g}",
            reason_text(s.reason),
        )
    out.print(stats)
    lab = report.label
    out.print(
        _(
            "Label « proactivité pour l'emploi »: {result} — {share:.0%} of learners meet it "
            "(at least {min} need(s) on {cols}, per {per}); {required:.0%} required."
        ).format(
            result=_("granted") if lab.granted else _("not granted"),
            share=lab.share,
            min=lab.min_needs,
            cols=", ".join(lab.columns),
            per=lab.per,
            required=lab.required_share,
        ),
        markup=False,
    )
    for short in lab.short:
        who = short.get("learner") or short["key"]
        missing = ", ".join(f"{u}: {m}" for u, m in short["missing"].items())
        out.print(
            _("  {who} falls short: {missing}").format(who=who, missing=missing), markup=False
        )
