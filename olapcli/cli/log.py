"""``olap log LEARNER``: the learner's history from Git, in words."""

from __future__ import annotations

import typer

from olapcli.cli import complete
from olapcli.cli.common import out, root, styled
from olapcli.i18n import _

HELP = _(
    "The learner's history from Git: date, author, and what changed in words "
    "(need added, evaluation recorded, plan changed…).\n\n"
    "Example: olap log lea-martin"
)


def log(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id."), autocompletion=complete.learners),
) -> None:
    from olapcli.app.history import learner_log

    changes = learner_log(root(ctx), learner)
    for change in changes:
        out.print(
            styled(
                (f"{change.date:%Y-%m-%d %H:%M}", "bold"),
                "  " + change.author + "  ",
                (change.sha[:8], "dim"),
            )
        )
        if change.cut:
            out.print("  • " + change.message, markup=False)
            out.print(
                "  • "
                + _(
                    "(the history before this commit is not in this clone, made with "
                    "--depth: « git fetch --unshallow » brings it)"
                ),
                markup=False,
            )
            continue
        for line in change.changes or [
            _("(no change to the data: {message})").format(message=change.message)
        ]:
            out.print("  • " + line, markup=False)
    if not changes:
        out.print(_("No history yet: the file has never been committed."), markup=False)
