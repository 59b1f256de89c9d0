"""``olap qcm``: the multiple-choice questions to ask the company, printable."""

from __future__ import annotations

from enum import Enum

import typer

from olapcli.cli.common import echo, root
from olapcli.i18n import _

HELP = _(
    "The multiple-choice questions to ask the company about the coming days, for a "
    "group of the référentiel or all of them: the group's question, then the choices "
    "that narrow it down. Printable (--format html or md).\n\n"
    "Example: olap qcm 6 --format html > qcm-desserts.html"
)


class Format(str, Enum):
    text = "text"
    md = "md"
    html = "html"


def qcm(
    ctx: typer.Context,
    group: str | None = typer.Argument(None, help=_("Group id (all groups when absent).")),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help=_("Output format.")),
) -> None:
    from olapcli.app.qcm import qcm as sheet

    echo(sheet(root(ctx), group, fmt.value), nl=False)
