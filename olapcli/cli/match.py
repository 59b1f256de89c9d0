"""``olap match``: pair learners with an open need with peers rated A or R on it."""

from __future__ import annotations

from enum import Enum

import typer

from olapcli.cli.common import json_text, out, print_table, root
from olapcli.i18n import _

HELP = _(
    "Pair each open need with the learners who can help on its activity: rated A "
    "(autonomous) first, then R (resource for peers), the most recent first.\n\n"
    "Example: olap match 6.3 --format json"
)


class Format(str, Enum):
    table = "table"
    json = "json"


def match(
    ctx: typer.Context,
    activity: str | None = typer.Argument(None, help=_("Only needs on this sub-activity.")),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=_("Output format.")),
) -> None:

    from olapcli.app.peers import match as pair

    done = pair(root(ctx), activity)
    found, titles = done.matches, done.titles
    if fmt is Format.json:
        out.print(json_text([m.as_json() for m in found]), markup=False)
        return
    from olapcli.render.tables import Column

    columns = [
        Column(_("Learner")),
        Column(_("Activity"), wrap=True),
        Column(_("Due")),
        Column(_("Need")),
        Column(_("Peers (A, then R)"), wrap=True),
    ]
    rows = [
        [
            m.learner,
            f"{m.need.activity} {titles.get(m.need.activity or '', '')}",
            m.need.due.isoformat(),
            m.need.id,
            ", ".join(f"{p.learner} ({p.level}, {p.date})" for p in m.peers) or "—",
        ]
        for m in found
    ]
    print_table(_("Open needs and the peers who can help"), columns, rows)
    out.print(_("{n} open need(s).").format(n=len(found)), markup=False)
