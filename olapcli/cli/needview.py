"""A need as the terminal shows it once recorded (need add, need step)."""

from __future__ import annotations

from typing import Any

from olapcli.cli.common import echo, terminal_width
from olapcli.i18n import _


def print_need(need: Any, learner: str) -> None:
    """The recorded need, every datum of it (plain text: no rich on this path)."""
    import textwrap

    rows = [
        (_("Learner"), learner),
        (_("Need"), need.id),
        (_("Activity"), need.activity or "—"),
        (_("Practice"), need.practice),
        (_("Marked by"), ", ".join(need.marked_by)),
        (_("Identified"), need.identified.isoformat()),
        (_("Due"), need.due.isoformat()),
        (_("Detail"), need.detail),
    ]
    if need.company:
        rows.append((_("Company"), need.company))
    if need.prospect:
        rows.append((_("Prospect"), need.prospect))
    if need.competence:
        rows.append((_("Competence"), need.competence))
    for res in need.resources:
        rows.append((_("Resource"), res))
    if need.steps:  # (a new need has none: need add does not import the steps)
        rows += _step_rows(need.steps)
    width = max(len(label) for label, _v in rows)
    text_width = max(30, terminal_width() - width - 3)
    for label, value in rows:
        lines = textwrap.wrap(str(value), text_width) or [""]
        echo(f" {label.ljust(width)}  {lines[0]}")
        for more in lines[1:]:
            echo(f" {' ' * width}  {more}")


def _step_rows(steps: dict[str, Any]) -> list[tuple[str, str]]:
    """A label and a value per step recorded, in the cycle's order."""
    from olapcli.app.steps import ORDER, step_labels

    labels = {k: v[:1].upper() + v[1:] for k, v in step_labels().items()}
    labels.update(
        prepared=_("Prepared on"),
        applied=_("Applied on"),
        valorised=_("Valorised on"),
        advantage=_("Advantage"),
    )
    rows = []
    for key in ORDER:
        value = steps.get(key)
        if isinstance(value, dict):  # {date, by, notes}
            by, notes = value.get("by"), value.get("notes")
            value = f"{value.get('date')}{f' ({by})' if by else ''}{f' — {notes}' if notes else ''}"
        if value is not None:
            rows.append((labels[key], str(value)))
    return rows
