"""``olap qcm``: the multiple-choice questions to ask the company about the coming days."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from olapcli.errors import UserError
from olapcli.i18n import _


def qcm(root: Path, group: str | None = None, fmt: str = "text") -> str:
    """The questions of one group of the référentiel, or of all, as text, Markdown or
    HTML (printable)."""
    from olapcli.io.load import require_core

    core = require_core(root)
    groups = list(core.referentiel.groups)
    if group is not None:
        groups = [g for g in groups if g.id == group]
        if not groups:
            raise UserError(
                _("Unknown group « {id} ».").format(id=group),
                _("groups: {ids}").format(ids=", ".join(g.id for g in core.referentiel.groups)),
            )
    if fmt == "text":
        return qcm_text(groups)
    from olapcli.render import render

    title = _("QCM — {formation}").format(formation=core.cohort.formation.name)
    template = "qcm.html.j2" if fmt == "html" else "qcm.md.j2"
    return render(template, title=title, groups=groups, root="")


def qcm_text(groups: list[Any]) -> str:
    """The QCM as plain text, for a terminal or a phone call."""
    lines: list[str] = []
    question, then = _("Question"), _("Then")
    for g in groups:
        lines.append(f"{g.id}. {g.title}")
        lines.append(f"   {question} : {g.question}")
        for act in g.activities:
            lines.append(f"   {act.id}  {act.title}")
            if act.choices:
                lines.append(f"        {then} : {' / '.join(act.choices)} ?")
        lines.append("")
    return "\n".join(lines)
