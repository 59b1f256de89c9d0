"""Problems as text (with the line and a caret), JSON, or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from olapcli.errors import Problem
from olapcli.i18n import _, ngettext


def where(p: Problem) -> str:
    """``path:line:col`` as far as known."""
    return _where(p.path, p.line, p.col)


def _where(path: str, line: int | None, col: int | None) -> str:
    if line is None:
        return path
    return f"{path}:{line}" if col is None else f"{path}:{line}:{col}"


def severity_word(p: Problem) -> str:
    """« erreur » or « avertissement »."""
    return _("error") if p.severity == "error" else _("warning")


def text(problems: list[Problem]) -> str:
    """hledger-style: ``FILE:LINE:COL: severity [code] message``, the line with a caret
    under the column, the hint."""
    return text_rows([p.pack() for p in problems])


def text_rows(rows: list[list[Any]]) -> str:
    """:func:`text` of problems packed (:meth:`Problem.pack`): validate writes tens of
    thousands of them, without making an object of each."""
    words = {"error": _("error"), "warning": _("warning")}
    out: list[str] = []
    add = out.append
    for path, line, col, severity, code, message, hint, _since, source, *_until in rows:
        add(f"{_where(path, line, col)}: {words[severity]} [{code}] {message}")
        if line is not None and source is not None:
            add(f"  {line} | {source}")
            if col:
                add(f"  {' ' * len(str(line))} | {' ' * (col - 1)}^")
        if hint:
            add("  → " + hint)
    return "\n".join(out)


def summary(problems: list[Problem]) -> str:
    """« 2 erreurs, 3 avertissements »."""
    errors = sum(p.severity == "error" for p in problems)
    return counted(errors, len(problems) - errors)


def counted(errors: int, warnings: int) -> str:
    """« 2 erreurs, 3 avertissements »."""
    return ", ".join(
        (
            ngettext("{n} error", "{n} errors", errors).format(n=errors),
            ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        )
    )


def as_json(problems: list[Problem]) -> str:
    """A list of ``{path, line, col, severity, code, message, hint}``."""
    return json.dumps([p.as_json() for p in problems], ensure_ascii=False, indent=2)


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(problems: list[Problem], prefix: str = "") -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    out = []
    for p in problems:
        kind = "error" if p.severity == "error" else "warning"
        props = [f"file={_gh_escape(prefix + p.path, True)}"]
        if p.line is not None:
            props.append(f"line={p.line}")
        if p.col is not None:
            props.append(f"col={p.col}")
        props.append(f"title={_gh_escape(p.code, True)}")
        message = p.message + (f" — {p.hint}" if p.hint else "")
        out.append(f"::{kind} {','.join(props)}::{_gh_escape(message)}")
    return "\n".join(out)


def gitlab(problems: list[Problem], prefix: str = "") -> str:
    """GitLab's code quality report (a JSON list), shown on merge requests."""
    import hashlib
    import json

    items = []
    for p in problems:
        where = f"{prefix}{p.path}:{p.line or 0}:{p.col or 0}:{p.code}:{p.message}"
        items.append(
            {
                "description": p.message + (f" — {p.hint}" if p.hint else ""),
                "check_name": p.code,
                "fingerprint": hashlib.sha256(where.encode()).hexdigest(),
                "severity": "major" if p.severity == "error" else "minor",
                "location": {"path": prefix + p.path, "lines": {"begin": p.line or 1}},
            }
        )
    return json.dumps(items, ensure_ascii=False, indent=2)


REPORTERS: dict[str, Callable[..., str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "gitlab": gitlab,
}
