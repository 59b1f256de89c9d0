"""The questions ``need add`` and ``eval add`` ask on a terminal for what was not given:
a sub-activity (a group, then its sub-activities, or words to search), who, a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from olapcli.cli.common import ask, echo, err
from olapcli.i18n import _

#: at most this many sub-activities found by words are listed
SHOWN = 15


def activity(groups: list[Any]) -> str:
    """A sub-activity of the référentiel whose *groups* are given: a group's number
    shows its sub-activities with its question (the « pop-up » of Annexe 6), a
    sub-activity's id is taken as it is, other words are searched in the ids and titles,
    whatever their case and accents."""
    from olapcli.app.inputs import find_activities

    by_group = {str(g.id): g for g in groups}
    known = {str(a.id) for g in groups for a in g.activities}
    echo(_("The groups of the référentiel:"))
    for group in groups:
        echo(f"  {group.id}. {group.title}")

    def pick(answer: str) -> str:
        if answer not in known:
            raise ValueError(answer)
        return answer

    while True:
        answer = str(ask(_("Group (number), sub-activity (e.g. 6.3) or words to search")))
        if answer in known:
            return answer
        if answer in by_group:
            group = by_group[answer]
            echo(f"{group.id}. {group.title} — {group.question}")
            for act in group.activities:
                choices = f" ({' / '.join(act.choices)})" if act.choices else ""
                echo(f"   {act.id}  {act.title}{choices}")
            return str(ask(_("Sub-activity (id)"), pick))
        found = find_activities(groups, answer)
        if len(found) == 1:
            echo(f"→ {found[0].id}  {found[0].title}")
            return str(found[0].id)
        if not found:
            err.print(
                _(
                    "No sub-activity holds « {words} »: type other words or a group's number."
                ).format(words=answer),
                markup=False,
            )
            continue
        for act in found[:SHOWN]:
            echo(f"   {act.id}  {act.title}")
        if len(found) > SHOWN:
            echo(_("… and {n} more: type more words.").format(n=len(found) - SHOWN))
        return str(ask(_("Sub-activity (id)"), pick))


def date(label: str, default: str | None = None) -> dt.date:
    """A date, in any form :func:`olapcli.app.inputs.parse_date` understands; a refused
    answer is followed by the forms accepted; Enter takes *default* when given."""
    from olapcli.app.inputs import date_forms, parse_date

    return ask(label, parse_date, default=default, hint=date_forms())  # type: ignore[no-any-return]
