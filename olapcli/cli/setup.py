"""``olap setup``: prepare a clone of a cohort repository for merging."""

from __future__ import annotations

import typer

from olapcli.cli.common import out, root
from olapcli.i18n import _

HELP = _(
    "Prepare this clone: add olap's lines to .gitattributes (learner files merged by olap, "
    "needs and evaluations matched by id) and register the merge driver in .git/config, "
    "which Git never shares. Run it once after « git clone ».\n\n"
    "Example: olap setup"
)


def setup(ctx: typer.Context) -> None:
    from olapcli.app.setup import setup_clone

    if setup_clone(root(ctx)):
        out.print(
            _("olap's lines added to .gitattributes: commit them so every clone merges alike."),
            markup=False,
        )
    out.print(_("Merge driver registered in this clone."), style="bold green", markup=False)
