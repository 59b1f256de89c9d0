"""Problems as text (with the line and a caret), JSON, or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Callable

from olapcli.errors import Problem
from olapcli.i18n import _, ngettext


def _excerpt(p: Problem) -> list[str]:
    """The problem's line (as it was when found) with a caret under its column."""
    if p.line is None or p.source is None:
        return []
    number = str(p.line)
    pad = " " * len(number)
    out = [f"  {number} | {p.source}"]
    if p.col:
        out.append(f"  {pad} | {' ' * (p.col - 1)}^")
    return out


def where(p: Problem) -> str:
    """``path:line:col`` as far as known."""
    out = p.path
    if p.line is not None:
        out += f":{p.line}"
        if p.col is not None:
            out += f":{p.col}"
    return out


def severity_word(p: Problem) -> str:
    """« erreur » or « avertissement »."""
    return _("error") if p.severity == "error" else _("warning")


def text(problems: list[Problem]) -> str:
    """hledger-style: ``FILE:LINE:COL: severity [code] message``, excerpt, hint."""
    out: list[str] = []
    for p in problems:
        out.append(f"{where(p)}: {severity_word(p)} [{p.code}] {p.message}")
        out.extend(_excerpt(p))
        if p.hint:
            out.append("  → " + p.hint)
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
