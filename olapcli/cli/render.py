"""``olap render``: the static site a trainer looks at."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from olapcli.cli.common import err, out, root
from olapcli.i18n import _

HELP = _(
    "Write the cohort's static site: an index, one grid per learner (TISF), the synoptic "
    "table, one page per activity (resources, QCM, evaluation sheet), one per subject, and "
    "printable QCM sheets. It works offline, on a file share, or on the Git host's Pages; "
    "only pages that changed are rewritten.\n\n"
    "Example: olap render --out site --format both"
)


class Format(str, Enum):
    html = "html"
    md = "md"
    both = "both"


def render(
    ctx: typer.Context,
    out_dir: Path | None = typer.Option(
        None, "--out", "-o", help=_("Output folder (default: site/ in the cohort).")
    ),
    fmt: Format = typer.Option(Format.html, "--format", "-f", help=_("HTML, Markdown, or both.")),
) -> None:
    from olapcli.app.inputs import today
    from olapcli.app.site import render_site

    folder = root(ctx)
    target = out_dir if out_dir is not None else folder / "site"
    result = render_site(folder, target, fmt.value, today())
    for problem in result.skipped:
        err.print(
            _("Skipped {path}: {message} (olap validate tells more).").format(
                path=problem.path, message=problem.message
            ),
            markup=False,
        )
    out.print(
        _(
            "Site written to {path}: {n} file(s) written, {same} unchanged, {removed} removed."
        ).format(
            path=target, n=len(result.written), same=result.unchanged, removed=len(result.removed)
        ),
        markup=False,
    )
