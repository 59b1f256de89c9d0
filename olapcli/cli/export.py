"""``olap export observatoire``: pseudonymous figures for regional observatories."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from olapcli.cli.common import out, period_options, root, say_excluded
from olapcli.i18n import _

app = typer.Typer(
    add_completion=False,
    help=_("Exports of the cohort's figures for partners outside the centre."),
    no_args_is_help=True,
)


class Format(str, Enum):
    json = "json"
    csv = "csv"


@app.command(
    "observatoire",
    help=_(
        "Pseudonymous figures for a regional observatory: one row per learner, by their "
        "key (no name, no e-mail, no free text), with the needs counted per practice, the "
        "quality of anticipation, the meetings, the outcomes, the label and the contract "
        "search (counts only, no company named), and on every row the cohort's RNCP code, "
        "level and school year. JSON Lines (one JSON object a line, "
        "schema/observatoire.schema.json, format « olap-observatoire/2 »): several "
        "exports concatenated with cat stay one valid file, which olap report reads. CSV: "
        "the same columns in a fixed order; to add a file to another, leave out its first "
        "line (tail -n +2). A cohort with validate errors is refused (exit 2) unless "
        "--exclude-invalid. See docs/observatoire.md.\n\n"
        "Example: olap export observatoire --out cap-cuisine-2025.jsonl"
    ),
)
def observatoire(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.json, "--format", "-f", help=_("JSON Lines or CSV.")),
    out_file: Path | None = typer.Option(
        None, "--out", "-o", help=_("Write to this file instead of standard output.")
    ),
    start: str | None = typer.Option(
        None, "--from", help=_("Count needs identified from this date.")
    ),
    end: str | None = typer.Option(None, "--to", help=_("Count needs identified up to this date.")),
    exclude_invalid: bool = typer.Option(
        False,
        "--exclude-invalid",
        help=_("Leave out the learners whose file has validate errors (said on stderr)."),
    ),
) -> None:
    from olapcli.app.observatoire import export

    first, last = period_options(start, end)
    made = export(root(ctx), fmt.value, out_file, first, last, exclude_invalid)
    if made.excluded:
        say_excluded(made.excluded)
    if made.written is not None:
        out.print(
            _("Written: {path} ({n} learner(s)).").format(path=made.written, n=made.learners),
            markup=False,
        )
    else:
        sys.stdout.buffer.write(made.data)
        sys.stdout.buffer.flush()
