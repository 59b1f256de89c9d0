"""``olap sync``: pull (rebase), re-validate, push — the trainer's daily share."""

from __future__ import annotations

import typer

from olapcli.cli.common import err, out, root
from olapcli.i18n import _

HELP = _(
    "Share your work: pull the others' commits (rebase, with olap's merge driver), "
    "validate the result, then push. Stops with a clear message on a conflict or on "
    "validation errors, and pushes nothing then.\n\n"
    "Example: olap sync"
)


def sync(
    ctx: typer.Context,
    push: bool = typer.Option(True, "--push/--no-push", help=_("Push when all is well.")),
) -> None:
    from olapcli.app.setup import sync as share
    from olapcli.render import problems as reporters

    done = share(root(ctx), push)
    if done.registered:
        err.print(_("Merge driver registered in this clone (olap setup)."), markup=False)
    if not done.pulled:
        if done.conflicted:  # a pull Git could not do is refused in olap.app.setup
            err.print(
                _("Conflict while pulling: both sides changed the same thing in {files}.").format(
                    files=", ".join(done.conflicted)
                ),
                markup=False,
            )
            err.print(
                _(
                    "  → keep what must stay of each version and remove the markers "
                    "(olap validate shows where), then « git add » the files, "
                    "« git rebase --continue » and olap sync again; "
                    "or « git rebase --abort » to go back."
                ),
                markup=False,
            )
        raise typer.Exit(1)
    if done.errors:
        out.print(reporters.text(done.errors), markup=False)
        err.print(
            _("The merged cohort has errors: nothing was pushed. Fix them, commit, olap sync."),
            markup=False,
        )
        raise typer.Exit(1)
    if not push:
        out.print(_("Up to date and valid (not pushed: --no-push)."), markup=False)
        return
    out.print(_("Synchronised: pulled, valid, pushed."), style="bold green", markup=False)
