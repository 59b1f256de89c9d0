"""Errors and data problems.

``UserError`` is raised for a refused command (exit 2). ``Problem`` is a value:
data problems are collected, never raised mid-way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

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

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Problem:
        """Inverse of :meth:`as_json`."""
        line, col, hint = data.get("line"), data.get("col"), data.get("hint")
        sev: Severity = "warning" if data["severity"] == "warning" else "error"
        return cls(
            path=str(data["path"]),
            line=line if isinstance(line, int) else None,
            col=col if isinstance(col, int) else None,
            severity=sev,
            code=str(data["code"]),
            message=str(data["message"]),
            hint=hint if isinstance(hint, str) else None,
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
