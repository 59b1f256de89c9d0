"""``olap report``: the self-contained HTML report for partners and funders."""

from __future__ import annotations

from pathlib import Path

import typer

from olapcli.cli.common import out, period_options, root
from olapcli.i18n import _

HELP = _(
    "Write the impact report for partners and funders: one self-contained HTML file (no "
    "script, no outside request) with the summary, the label, charts, the Annexe 7 table, "
    "the statistics in plain words, the coverage of the référentiel and the annex of needs. "
    "Several cohort folders are added up and shown one by one. Names appear only with "
    "--identify. Files of olap export observatoire are read as well (strictly: a bad file "
    "is refused, naming its line); the report made from them leaves out, saying why, "
    "what they do not carry (the annex, the coverage, the chart per period).\n\n"
    "Example: olap -C sample-cohort report --out rapport.html"
)


def report(
    ctx: typer.Context,
    cohorts: list[Path] = typer.Argument(
        None,
        help=_(
            "Cohort folders, or files of olap export observatoire (JSON Lines), or both "
            "(default: the current cohort)."
        ),
    ),
    out_file: Path = typer.Option(
        Path("rapport.html"),
        "--out",
        "-o",
        help=_("The HTML file to write (« - »: standard output, e.g. to pipe it)."),
    ),
    identify: bool = typer.Option(
        False,
        "--identify",
        help=_("Show learners' names (personal data: keep it inside the centre)."),
    ),
    start: str | None = typer.Option(
        None, "--from", help=_("Count needs identified from this date.")
    ),
    end: str | None = typer.Option(None, "--to", help=_("Count needs identified up to this date.")),
    exclude_invalid: bool = typer.Option(
        False,
        "--exclude-invalid",
        help=_(
            "Leave out the learners whose file has validate errors; the report says how "
            "many and why, first."
        ),
    ),
) -> None:
    from olapcli.app import observatoire
    from olapcli.app.report import build_report

    first, last = period_options(start, end)
    roots = observatoire.report_inputs(cohorts) if cohorts else [root(ctx)]
    if any(observatoire.is_export(r) for r in roots):  # the report over export rows
        build_report = observatoire.build_report
    written = build_report(roots, out_file, identify, first, last, exclude_invalid=exclude_invalid)
    if str(written) != "-":  # standard output holds the report alone
        out.print(_("Report written: {path}").format(path=written), markup=False)
