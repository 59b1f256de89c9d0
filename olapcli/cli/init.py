"""``olap init DIR [--sample]``: a new cohort repository."""

from __future__ import annotations

from pathlib import Path

import typer

from olapcli.cli.common import err, out
from olapcli.i18n import _

HELP = _(
    "Create a new cohort repository: cohort.yaml, referentiel.yaml, subjects.yaml, "
    "learners/, resources/, the JSON Schemas for editors, .gitignore, .gitattributes and the "
    "merge driver, CI files for GitHub and GitLab, git init and a first commit. With --sample, a complete example cohort to explore.\n\n"
    "Example: olap init cap-cuisine-2026 --sample"
)


def init(
    directory: Path = typer.Argument(..., help=_("Folder to create (must be absent or empty).")),
    sample: bool = typer.Option(False, "--sample", help=_("Start from the example cohort.")),
) -> None:
    from olapcli.app.setup import init_cohort

    created = init_cohort(directory, sample)
    if not created.identity:
        err.print(
            _("Git has no user.name/user.email: first commit made as « olap »."), markup=False
        )
    out.print(
        _("Cohort created in {path}.").format(path=directory), style="bold green", markup=False
    )
    after = (
        _("Next: « olap -C {path} validate », then « olap -C {path} render » to see the site.")
        if sample  # the example is complete: nothing to fill in first
        else _("Next: edit cohort.yaml and referentiel.yaml, then « olap -C {path} validate ».")
    )
    err.print(after.format(path=directory), markup=False)
