"""``olap report``: the self-contained HTML report for partners and funders."""

from __future__ import annotations

from pathlib import Path

import typer

from olapcli.cli.common import out, period_options, refuse, root
from olapcli.i18n import _

HELP = _(
    "Write the impact report for partners and funders: one self-contained HTML file (no "
    "script, no outside request) with the summary, the label, charts, the Annexe 7 table, "
    "the statistics in plain words, the coverage of the référentiel and the annex of needs. "
    "Several cohort folders are added up and shown one by one. Names appear only with "
    "--identify.\n\n"
    "Example: olap -C sample-cohort report --out rapport.html"
)


def report(
    ctx: typer.Context,
    cohorts: list[Path] = typer.Argument(
        None, help=_("Cohort folders (default: the current cohort).")
    ),
    out_file: Path = typer.Option(
        Path("rapport.html"), "--out", "-o", help=_("The HTML file to write.")
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
) -> None:
    import gc

    from olapcli.io.files import atomic_write
    from olapcli.io.paths import find_root
    from olapcli.render import render
    from olapcli.report import Statistician, context, load

    first, last = period_options(start, end)
    roots = [find_root(c) for c in cohorts] if cohorts else [root(ctx)]
    if len({r.resolve() for r in roots}) != len(roots):
        refuse(_("The same cohort is given twice."))
    # Reading 10,000 learners makes millions of objects and no cycles: the cyclic
    # collector would walk them over and over for nothing (a third of the time).
    gc.disable()
    statistician = Statistician()  # imports scipy meanwhile, when it can
    try:
        parts = load(roots, first, last)
        html = render("report.html.j2", **context(parts, identify, statistician))
    finally:
        statistician.close()
    atomic_write(out_file, html)
    out.print(_("Report written: {path}").format(path=out_file), markup=False)
