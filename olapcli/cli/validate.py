"""``olap validate``: the CI entry point."""

from __future__ import annotations

import os
from enum import Enum
from typing import TYPE_CHECKING

import typer

from olapcli.cli.common import emit, progress_bar, root, say
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
    from olapcli.app.validate import report
    from olapcli.render.problems import counted

    folder = root(ctx)
    prefix = ""
    if fmt in (Format.github, Format.gitlab) and folder != folder.cwd():
        prefix = os.path.relpath(folder) + "/"
        prefix = "" if prefix.startswith("..") else prefix
    with progress_bar(_("Reading the learner files")) as progress:
        done = report(
            folder,
            today(),
            fmt.value,
            strict,
            prefix,
            use_cache=not no_cache,
            progress=progress if fmt is Format.text else None,
        )
    if done.text and (done.errors or done.warnings or fmt is not Format.github):
        emit(done.text)
    if fmt is Format.text:
        summary = counted(done.errors, done.warnings)
        line = _("Validation failed: {summary}.") if done.errors else _("Cohort valid: {summary}.")
        say(line.format(summary=summary))
    if done.errors:
        raise typer.Exit(1)
