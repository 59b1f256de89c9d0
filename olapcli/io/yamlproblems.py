"""The problems reported for YAML that cannot be read: a syntax error, a forbidden
construct (anchor, alias, tag, merge key), a date that does not exist. Both YAML paths
(fast read, round-trip write) report them the same way, 1-based."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from olapcli.errors import Forbidden, Problem
from olapcli.i18n import _

_DATE = re.compile(r"(?<![\w.-])(\d{4})-(\d{2})-(\d{2})(?![\w.-])")


def impossible_date(rel: str, text: str, exc: Exception) -> Problem:
    """Where the first date that does not exist (2025-02-30) is in *text*."""
    import datetime as dt

    for number, line in enumerate(text.splitlines(), 1):
        for match in _DATE.finditer(line.split("#", 1)[0]):
            try:
                dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return Problem(
                    rel,
                    number,
                    match.start() + 1,
                    "error",
                    "invalid-date",
                    _("invalid date « {value} »").format(value=match.group(0)),
                    _("write the date as YYYY-MM-DD, e.g. 2026-03-02"),
                )
    return Problem(
        rel, None, None, "error", "yaml", _("the file cannot be read: {detail}").format(detail=exc)
    )


def forbidden_problem(rel: str, exc: Forbidden) -> Problem:
    """The problem reported for an anchor, alias, tag or merge key."""
    return Problem(
        rel,
        exc.line,
        exc.col,
        "error",
        "yaml-construct",
        _("anchors, aliases, tags and merge keys (&, *, !, <<) are not allowed in olap files"),
        _("write the value out in full, or put the text in quotes"),
    )


def _at(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of the character at *position* of *text*."""
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def reading_problem(rel: str, text: str, exc: BaseException) -> Problem:
    """The problem for anything that stops either YAML path reading *text*: a syntax
    error, a control character, a number too long, nesting too deep, an impossible date."""
    if isinstance(exc, Forbidden):
        return forbidden_problem(rel, exc)
    if isinstance(exc, RecursionError):
        return Problem(
            rel,
            None,
            None,
            "error",
            "yaml-depth",
            _("the file nests lists or blocks too deeply to be read"),
            _("an olap file needs a few levels: look for a run of « [ » or « { »"),
        )
    position = getattr(exc, "position", None)
    if isinstance(position, int) and hasattr(exc, "character"):  # a reader error
        char = getattr(exc, "character", "")
        code = ord(char) if isinstance(char, str) and len(char) == 1 else int(char or 0)
        # the first such character is the one refused (PyYAML's C reader counts its
        # position in its own way)
        found = text.find(chr(code)) if code else -1
        line, col = _at(text, found if found >= 0 else position)
        return Problem(
            rel,
            line,
            col,
            "error",
            "control-character",
            _("control character U+{code:04X} in the file: YAML does not allow it").format(
                code=code
            ),
            _("delete it; in a text in double quotes, write it as an escape (\\t, \\u00A0)"),
        )
    mark = getattr(exc, "problem_mark", None)
    if type(exc).__name__ == "TooLong" or "Exceeds the limit" in str(exc):
        return Problem(
            rel,
            mark.line + 1 if mark is not None else None,
            mark.column + 1 if mark is not None else None,
            "error",
            "number-too-long",
            _("this number is too long to be data"),
            _("a count or a year has a few digits: put a code or an id in quotes"),
        )
    if hasattr(exc, "problem_mark") or hasattr(exc, "context_mark"):
        return syntax_problem(rel, exc)
    return impossible_date(rel, text, exc if isinstance(exc, Exception) else Exception(exc))


def syntax_problem(rel: str, exc: Any) -> Problem:
    """The problem for a YAML syntax error (ruamel or PyYAML), 1-based."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    what = getattr(exc, "problem", None) or str(exc)
    if "duplicate key" in str(what) or "duplicate key" in str(exc):
        return Problem(
            rel,
            line,
            col,
            "error",
            "duplicate-key",
            _("this key appears twice in the same block"),
            _("keep only one of the two"),
        )
    return Problem(
        rel,
        line,
        col,
        "error",
        "yaml",
        _("invalid YAML: {what}").format(what=what),
        _("check the indentation and the colons on this line and the one before"),
    )


def with_sources(text: str, problems: list[Problem]) -> list[Problem]:
    """*problems* with the text of their line (for excerpts, without reading again)."""
    if not any(p.line is not None and p.source is None for p in problems):
        return problems
    lines = text.splitlines()
    return [
        replace(p, source=lines[p.line - 1])
        if p.line is not None and p.source is None and 1 <= p.line <= len(lines)
        else p
        for p in problems
    ]
