"""``olap qcm``: the multiple-choice questions to ask the company, printable."""

from __future__ import annotations

from enum import Enum

import typer

from olapcli.cli.common import refuse, root
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


def qcm_text(groups: list[object]) -> str:
    """The QCM as plain text, for a terminal or a phone call."""
    lines: list[str] = []
    question, then = _("Question"), _("Then")
    for group in groups:
        g = group  # a model.Group
        lines.append(f"{g.id}. {g.title}")  # type: ignore[attr-defined]
        lines.append(f"   {question} : {g.question}")  # type: ignore[attr-defined]
        for act in g.activities:  # type: ignore[attr-defined]
            lines.append(f"   {act.id}  {act.title}")
            if act.choices:
                lines.append(f"        {then} : {' / '.join(act.choices)} ?")
        lines.append("")
    return "\n".join(lines)


def qcm(
    ctx: typer.Context,
    group: str | None = typer.Argument(None, help=_("Group id (all groups when absent).")),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help=_("Output format.")),
) -> None:
    from olapcli.io.load import require_core

    core = require_core(root(ctx))
    groups = list(core.referentiel.groups)
    if group is not None:
        groups = [g for g in groups if g.id == group]
        if not groups:
            refuse(
                _("Unknown group « {id} ».").format(id=group),
                _("groups: {ids}").format(ids=", ".join(g.id for g in core.referentiel.groups)),
            )
    if fmt is Format.text:
        typer.echo(qcm_text(list(groups)), nl=False)
        return
    from olapcli.render import render

    title = _("QCM — {formation}").format(formation=core.cohort.formation.name)
    template = "qcm.html.j2" if fmt is Format.html else "qcm.md.j2"
    typer.echo(render(template, title=title, groups=groups, root=""), nl=False)
