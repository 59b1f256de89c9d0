"""``olap resource add``: a link or a file behind an activity, shared or for one learner."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from olapcli.cli.common import out, root
from olapcli.i18n import _

app = typer.Typer(
    add_completion=False,
    help=_(
        "Resources behind each sub-activity: videos, documents, exercises, tutorials, "
        "evaluation sheets."
    ),
    no_args_is_help=True,
)


class Kind(str, Enum):
    video = "video"
    document = "document"
    exercise = "exercise"
    tutorial = "tutorial"
    evaluation = "evaluation"
    other = "other"


@app.command(
    "add",
    help=_(
        "Add a link (http/https only) or a file to an activity's shared resources, or to a "
        "learner's own folder with --learner. Files are copied into the repository.\n\n"
        'Example: olap resource add 6.3 --file fiche-tarte.pdf --title "Fiche tarte au '
        'citron" --kind document'
    ),
)
def add(
    ctx: typer.Context,
    activity: str = typer.Argument(..., help=_("Sub-activity id.")),
    url: str | None = typer.Option(None, "--url", help=_("A web link (http or https).")),
    file: Path | None = typer.Option(None, "--file", help=_("A file to copy into the repository.")),
    title: str | None = typer.Option(None, "--title", help=_("The title shown in the grids.")),
    kind: Kind = typer.Option(Kind.other, "--kind", help=_("What kind of resource it is.")),
    learner: str | None = typer.Option(
        None, "--learner", help=_("Put it in this learner's own folder.")
    ),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the changed files.")),
) -> None:
    from olapcli.app.resources import add_resource

    folder = root(ctx)
    if not title:
        title = ""
    added = add_resource(
        folder, activity, title, kind.value, url=url, file=file, learner=learner, commit=commit
    )
    where = added.file or added.url
    out.print(
        _("Resource added to {yaml}: {title} ({where}).").format(
            yaml=added.yaml, title=added.title, where=where
        ),
        markup=False,
    )
