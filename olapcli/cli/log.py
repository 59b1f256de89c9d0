"""``olap log LEARNER``: the learner's history from Git, in words."""

from __future__ import annotations

import typer

from olapcli.cli.common import out, root
from olapcli.i18n import _

HELP = _(
    "The learner's history from Git: date, author, and what changed in words "
    "(need added, evaluation recorded, plan changed…).\n\n"
    "Example: olap log lea-martin"
)


def log(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id.")),
) -> None:
    from olapcli.history import describe
    from olapcli.io import git
    from olapcli.io.paths import learner_path

    folder = root(ctx)
    path, _rel = learner_path(folder, learner)
    count = 0
    for rev in git.file_history(folder, path):
        changes = describe(rev.parent_text, rev.text)
        for other in rev.other_parent_texts:  # a merge: keep only what neither side had
            already = set(describe(other, rev.text))
            changes = [c for c in changes if c in already]
        if rev.other_parent_texts and not changes:
            continue  # a merge that only joined work shown in its own commits
        out.print(f"[bold]{rev.date:%Y-%m-%d %H:%M}[/bold]  {rev.author}  [dim]{rev.sha[:8]}[/dim]")
        for line in changes or [
            _("(no change to the data: {message})").format(message=rev.message)
        ]:
            out.print("  • " + line, markup=False)
        count += 1
    if count == 0:
        out.print(_("No history yet: the file has never been committed."), markup=False)
