"""``olap metrics``: the Annexe 7 impact table, its statistics and the label."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from olapcli.cli.common import out, period_options, root, say_excluded
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.app.report import Metrics

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


class Dialect(str, Enum):
    fr = "fr"
    rfc4180 = "rfc4180"


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
    dialect: Dialect | None = typer.Option(
        None,
        "--csv-dialect",
        help=_(
            "CSV dialect: fr (« ; », decimal comma, a BOM: a French spreadsheet opens it as "
            "it is) or rfc4180 (« , », decimal point, no BOM). Default: fr in French, "
            "rfc4180 in English."
        ),
    ),
    exclude_invalid: bool = typer.Option(
        False,
        "--exclude-invalid",
        help=_("Leave out the learners whose file has validate errors (said on stderr)."),
    ),
) -> None:

    import sys

    from olapcli.app.report import metrics_of

    first, last = period_options(start, end)
    found = metrics_of(
        root(ctx),
        fmt.value,
        out_file,
        identify,
        first,
        last,
        dialect.value if dialect else None,
        exclude_invalid,
    )
    if found.excluded:
        say_excluded(found.excluded)
    if found.written is not None:
        out.print(_("Written: {path}").format(path=found.written), markup=False)
    elif found.data is not None:
        sys.stdout.buffer.write(found.data)
    else:
        _print_table(found, 2 if identify else 1)


def _print_table(found: Metrics, names: int) -> None:
    from olapcli.cli.common import emit, output_width, print_table
    from olapcli.render.formats import cell
    from olapcli.render.tables import Column, wrap

    title = _("Annexe 7 — {cohort}").format(cohort=found.cohort)
    # numbers as the language writes them (64 %, 0,27): olapcli.render.formats
    rows = [[v if type(v) is str else cell(v) for v in row] for row in found.rows]
    # the key (and the name with --identify) on the left, repeated when the table is cut
    columns = [
        Column(str(h), wrap=0 < i < names, right=i >= names) for i, h in enumerate(found.header)
    ]
    print_table(title, columns, rows, keys=names)
    statistics = [["—" if v is None else str(v) for v in row] for row in found.statistics]
    texts = {0, 1, len(found.statistics_header) - 1}  # indicator, method, remark
    columns = [
        Column(h, wrap=i in texts, right=i not in texts)
        for i, h in enumerate(found.statistics_header)
    ]
    emit("")
    print_table(_("Statistics"), columns, statistics, keys=1)
    lines = ["", _("Label « proactivité pour l'emploi »"), *found.label_lines]
    width = output_width()
    emit("\n".join(part for line in lines for part in wrap(line, width)))
