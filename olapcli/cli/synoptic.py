"""``olap synoptic``: the synoptic table in the terminal."""

from __future__ import annotations

from enum import Enum

import typer

from olapcli.cli.common import emit, json_text, out, output_width, print_table, root
from olapcli.cli.complete import groups
from olapcli.i18n import _

HELP = _(
    "The synoptic table: each learner (rows) on each activity (columns) that holds a mark, "
    "I for an imminent need, then the latest evaluation (A, EC, R); an overdue need in red. "
    "Narrower than the table, it comes in slices of columns, each repeating the learner.\n\n"
    "Example: olap synoptic 6"
)


class Format(str, Enum):
    table = "table"
    json = "json"


def synoptic(
    ctx: typer.Context,
    group: str | None = typer.Argument(
        None, help=_("Only the activities of this group (e.g. 6)."), autocompletion=groups
    ),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=_("Output format.")),
) -> None:

    from olapcli.app.inputs import today
    from olapcli.app.synoptic import synoptic as table

    done = table(root(ctx), today(), group)
    if fmt is Format.json:
        found = {
            lid: {a: {"marks": c.marks, "state": c.state} for a, c in done.cells[lid].items()}
            for lid in done.learners
        }
        out.print(json_text(found), markup=False)
        return
    from olapcli.render.tables import Column, wrap

    styles = {"late": "bold red", "soon": "yellow"}
    columns = [Column(_("Learner")), *(Column(a, right=True) for a, _t in done.activities)]
    rows: list[list[str | tuple[str, str]]] = []
    for lid in done.learners:
        row: list[str | tuple[str, str]] = [lid]
        for a, _t in done.activities:
            cell = done.cells[lid].get(a)
            text = " ".join(cell.marks) if cell else "·"
            row.append((text, styles[cell.state]) if cell and cell.state in styles else text)
        rows.append(row)
    print_table(_("Synoptic table"), columns, rows, keys=1)
    legend = [
        _("I: imminent need; A: autonomous, EC: in progress, R: resource for peers; red: overdue.")
    ]
    legend += [f"{a}  {t}" for a, t in done.activities]
    width = output_width()
    # emit makes controls harmless (one sign each: the widths wrap counted hold)
    emit("\n".join(line for text in legend for line in wrap(text, width)))
