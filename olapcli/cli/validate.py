"""``olap validate``: the CI entry point."""

from __future__ import annotations

import os
from enum import Enum
from typing import TYPE_CHECKING

import typer

from olapcli.cli.common import err, out, root
from olapcli.i18n import _

if TYPE_CHECKING:
    pass

HELP = _(
    "Check the cohort: schema, references, dates and the fidelity lints of the method "
    "(warnings; errors with --strict). Exit 0 when clean or warnings only, 1 on errors.\n\n"
    "Example: olap validate --format github"
)


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"


def validate(
    ctx: typer.Context,
    strict: bool = typer.Option(False, "--strict", help=_("Fidelity warnings become errors.")),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help=_("Output format.")),
    no_cache: bool = typer.Option(False, "--no-cache", help=_("Ignore the result cache.")),
) -> None:
    from olapcli.app.inputs import today
    from olapcli.app.setup import merge_driver_problems
    from olapcli.app.validate import validate as run
    from olapcli.render import problems as reporters

    folder = root(ctx)
    if fmt is Format.text and err.is_terminal and not os.environ.get("CI"):
        from rich.progress import Progress

        with Progress(transient=True, console=err._console) as bar:
            task = bar.add_task(_("Reading the learner files"), total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            problems = run(folder, today(), strict=strict, use_cache=not no_cache, progress=advance)
    else:
        problems = run(folder, today(), strict=strict, use_cache=not no_cache)
    problems = problems + merge_driver_problems(folder)
    errors = sum(p.severity == "error" for p in problems)
    if fmt is Format.text:
        if problems:
            out.print(reporters.text(problems), markup=False)
        summary = reporters.summary(problems)
        if errors:
            err.print(_("Validation failed: {summary}.").format(summary=summary), markup=False)
        else:
            err.print(_("Cohort valid: {summary}.").format(summary=summary), markup=False)
    elif fmt is Format.json:
        out.print(reporters.as_json(problems), markup=False)
    else:
        prefix = os.path.relpath(folder) + "/" if folder != folder.cwd() else ""
        prefix = "" if prefix.startswith("..") else prefix
        if fmt is Format.gitlab:
            out.print(reporters.gitlab(problems, prefix), markup=False)
        elif problems:
            out.print(reporters.github(problems, prefix), markup=False)
    if errors:
        raise typer.Exit(1)
