"""What every check shares: how it says a problem, and which problems hold on a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import replace

from olapcli.errors import Loc, Problem


def on(problems: list[Problem], today: dt.date, strict: bool = False) -> list[Problem]:
    """The *problems* that hold *today*; with *strict*, warnings become errors."""
    held = [p for p in problems if p.holds_on(today)]
    if strict:
        held = [replace(p, severity="error") if p.severity == "warning" else p for p in held]
    return held


def error(
    path: str,
    loc: Loc,
    code: str,
    message: str,
    hint: str | None = None,
    until: dt.date | None = None,
) -> Problem:
    """A fact that makes the data wrong; with *until*, up to the day before that one."""
    return Problem(path, None, None, "error", code, message, hint, loc, until=until)


def warning(
    path: str,
    loc: Loc,
    code: str,
    message: str,
    hint: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Problem:
    """A fidelity lint: the data shows the method distorted (an error with --strict);
    with *since*, from that day on; with *until*, up to the day before."""
    return Problem(path, None, None, "warning", code, message, hint, loc, since=since, until=until)


def repeated(values: Iterable[tuple[str, Loc]]) -> Iterator[tuple[str, Loc]]:
    """Each value met a second (third…) time, with where."""
    seen: set[str] = set()
    for value, loc in values:
        if value in seen:
            yield value, loc
        seen.add(value)
