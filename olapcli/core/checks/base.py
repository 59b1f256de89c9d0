"""What every check shares: its context, its signature, how it says a problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from olapcli.errors import Loc, Problem

if TYPE_CHECKING:
    from olapcli.core.cohortdata import CohortData


@dataclass(frozen=True)
class Context:
    """Which parts of the checks to run.

    Learner files can be checked in several processes: each worker runs the
    per-learner parts (``core=False, across=False``) on its share, and the
    parent runs the parts about the core files and across learners once.

    No check reads the date: a problem that depends on the day (a need overdue)
    says from which day it holds (:attr:`olapcli.errors.Problem.since`), so that the
    checks of a file can be kept and only filtered on another day.
    """

    core: bool = True
    across: bool = True


#: a check: the data and its context in, problems out (never raised)
Check = Callable[["CohortData", Context], Iterable[Problem]]


def on(problems: list[Problem], today: dt.date, strict: bool = False) -> list[Problem]:
    """The *problems* that hold *today*; with *strict*, warnings become errors."""
    held = [p for p in problems if p.since is None or p.since <= today]
    if strict:
        held = [replace(p, severity="error") if p.severity == "warning" else p for p in held]
    return held


def error(path: str, loc: Loc, code: str, message: str, hint: str | None = None) -> Problem:
    """A fact that makes the data wrong."""
    return Problem(path, None, None, "error", code, message, hint, loc)


def warning(
    path: str,
    loc: Loc,
    code: str,
    message: str,
    hint: str | None = None,
    since: dt.date | None = None,
) -> Problem:
    """A fidelity lint: the data shows the method distorted (an error with --strict);
    with *since*, from that day on."""
    return Problem(path, None, None, "warning", code, message, hint, loc, since=since)


def repeated(values: Iterable[tuple[str, Loc]]) -> Iterator[tuple[str, Loc]]:
    """Each value met a second (third…) time, with where."""
    seen: set[str] = set()
    for value, loc in values:
        if value in seen:
            yield value, loc
        seen.add(value)
