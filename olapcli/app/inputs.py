"""What the front doors need to read people's input: the cohort folder, today, dates as
trainers type them, the actors and the levels of the method."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from olapcli.core import rules
from olapcli.i18n import _

#: the three actors, one column each in the grid
ACTORS = rules.ACTORS
#: A, EC, R
LEVELS = rules.LEVELS


def find_cohort(folder: Path | None) -> Path:
    """The cohort folder *folder*, or the nearest one upward holding cohort.yaml (as git
    finds .git); refused when there is none."""
    from olapcli.io.paths import find_root

    return find_root(folder)


def today() -> dt.date:
    """The day olap takes as today (``OLAP_TODAY`` for reproducible runs)."""
    from olapcli.io.clock import today as clock

    return clock()


def parse_date(text: str) -> dt.date:
    """A date as typed (ISO, 21/11/2026, aujourd'hui, demain, vendredi, +3j…), counted
    from today; ``ValueError`` when it is not one."""
    from olapcli.core.dates import parse_date as parse

    return parse(text, today())


def find_activities(groups: Any, query: str) -> list[Any]:
    """The sub-activities of *groups* whose id or title holds every word of *query*,
    whatever their case and accents (« creme » finds « Crèmes »)."""
    words = rules.same_detail(query).split()
    return [
        a
        for g in groups
        for a in g.activities
        if words and all(w in rules.same_detail(f"{a.id} {a.title}") for w in words)
    ]


def date_forms() -> str:
    """The forms of a date olap understands, to say when one is refused."""
    return _(
        "accepted: aujourd'hui, demain, après-demain, a weekday (vendredi, vendredi "
        "prochain), dans 3 jours, +3j, 15/12, 15/12/2026, 15 décembre, 2026-12-15"
    )


def parse_actors(text: str) -> list[str]:
    """``"entreprise, a"`` → ``["entreprise", "alternant"]``; ``ValueError`` when an
    actor is unknown."""
    return rules.parse_actors(text)


def discard_output() -> None:
    """The reader of our standard output went away: send what remains nowhere."""
    from olapcli.io.files import discard_stdout

    discard_stdout()


def system_refusal(exc: OSError) -> tuple[str, str | None]:
    """What to say, in words, of an operation the system refused (a write olap did not
    foresee): the message naming the file when known, and a hint."""
    from olapcli.io.files import reason, remedy

    if exc.filename is not None:
        message = _("the system refused an operation on {path}: {reason}.").format(
            path=exc.filename, reason=reason(exc)
        )
    else:
        message = _("the system refused an operation: {reason}.").format(reason=reason(exc))
    return message, remedy(exc)
