"""Errors and data problems.

``UserError`` is raised for a refused command (exit 2). ``Problem`` is a value:
data problems are collected, never raised mid-way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]
Loc = tuple[str | int, ...]


class OlapError(Exception):
    """Base of every error olap reports without a traceback."""


class UserError(OlapError):
    """A refused command: bad input, missing data, refused write."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ProblemsError(UserError):
    """A refused command whose reasons are data problems with positions."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    """One problem found in the data, with where it is."""

    path: str
    line: int | None
    col: int | None
    severity: Severity
    code: str
    message: str
    hint: str | None = None
    loc: Loc = field(default=(), compare=False)
    on_key: bool = field(default=False, compare=False)
    #: a problem that depends on the day holds from this day on (a need overdue…)
    since: dt.date | None = field(default=None, compare=False)
    #: the text of the line the problem is on, as it was when found (for excerpts)
    source: str | None = field(default=None, compare=False)
    #: ...and holds until the day before this one (the charter's meetings of the last
    #: twelve months: a meeting held long ago stops counting)
    until: dt.date | None = field(default=None, compare=False)

    def as_json(self) -> dict[str, object]:
        """The JSON form used by ``validate --format json``."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }

    def pack(self) -> list[Any]:
        """A compact JSON form for olap's cache (the inverse of :meth:`unpack`)."""
        since = self.since.isoformat() if self.since else None
        until = self.until.isoformat() if self.until else None
        return [
            self.path, self.line, self.col, self.severity, self.code, self.message,
            self.hint, since, self.source, until,
        ]  # fmt: skip

    @classmethod
    def unpack(cls, data: list[Any]) -> Problem:
        """The problem :meth:`pack` stored."""
        path, line, col, severity, code, message, hint, since, source, until = data
        day = dt.date.fromisoformat(since) if since else None
        last = dt.date.fromisoformat(until) if until else None
        return cls(path, line, col, severity, code, message, hint, (), False, day, source, last)

    def holds_on(self, day: dt.date) -> bool:
        """Does the problem hold on *day* (see :attr:`since` and :attr:`until`)?"""
        return (self.since is None or self.since <= day) and (
            self.until is None or day < self.until
        )


#: a file holding none of these has no anchor, alias, tag or merge key.
SUSPECT = re.compile(r"[&*!]|<<")


class Forbidden(OlapError):
    """An anchor, alias, explicit tag or merge key: refused in data files."""

    def __init__(self, what: str, line: int, col: int) -> None:
        super().__init__(what)
        self.what = what
        self.line = line
        self.col = col
