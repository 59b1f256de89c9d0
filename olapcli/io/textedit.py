"""Appending a need to a learner file as text, kept only if parsing proves it.

ruamel.yaml's round trip takes ~0.1 s on a learner file (it is pure Python);
``olap need add`` cannot afford it. In the common case (a file with a block
list of needs) the new need's lines are inserted as text, then the result
is parsed with the C loader and kept only if it is exactly the old data
plus the new need. Anything else gives None, and the caller takes the
round-trip path. Either way the file's other bytes are untouched.
"""

from __future__ import annotations

import json
import re
from typing import Any

from olapcli.io import yamlread as yamlfast

_NEEDS = re.compile(r"^needs:[ \t]*(?:#.*)?$")
_ITEM = re.compile(r"^( *)- ")
_TOP = re.compile(r"^[^\s#]")
_WORD = re.compile(r"^[a-z][a-z0-9_-]*$")
#: words some YAML readers take for something else: always quoted.
_SPECIAL = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar with the same value.
    return json.dumps(text, ensure_ascii=False)


def _word(text: str) -> str:
    return text if _WORD.match(text) and text not in _SPECIAL else _quoted(text)


def need_lines(need: dict[str, Any], dash: int) -> list[str]:
    """The lines of *need* as a block-list item whose dash is at column *dash*."""
    key = " " * (dash + 2)
    lines = [f"{' ' * dash}- id: {need['id']}"]
    if "activity" in need:  # else a competence of its practice's grid stands for it
        lines.append(f"{key}activity: {_quoted(need['activity'])}")
    lines += [
        f"{key}practice: {_word(need['practice'])}",
        f"{key}marked_by: [{', '.join(need['marked_by'])}]",
        f"{key}identified: {need['identified'].isoformat()}",
        f"{key}due: {need['due'].isoformat()}",
        f"{key}detail: {_quoted(need['detail'])}",
    ]
    if "company" in need:
        lines.append(f"{key}company: {_quoted(need['company'])}")
    if "resources" in need:
        lines.append(f"{key}resources:")
        lines += [f"{key}{' ' * dash}- {_quoted(r)}" for r in need["resources"]]
    if "prospect" in need:
        lines.append(f"{key}prospect: {_word(need['prospect'])}")
    if "competence" in need:
        lines.append(f"{key}competence: {_word(need['competence'])}")
    return lines


def append_need(before: str, old: dict[str, Any], need: dict[str, Any]) -> str | None:
    """*before* with *need* appended to its ``needs`` list, or None if not provable."""
    if not before.endswith("\n") or "\r" in before or not old.get("needs"):
        return None
    lines = before[:-1].split("\n")
    start = next((n for n, line in enumerate(lines) if _NEEDS.match(line)), None)
    if start is None:
        return None
    first = next(
        (
            n
            for n in range(start + 1, len(lines))
            if lines[n].strip() and not lines[n].lstrip().startswith("#")
        ),
        None,
    )
    match = _ITEM.match(lines[first]) if first is not None else None
    if match is None:
        return None
    end = next((n for n in range(start + 1, len(lines)) if _TOP.match(lines[n])), len(lines))
    # blank lines and column-0 comments just above the next key belong to that key
    at = end
    while at - 1 > start and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
        at -= 1
    after = "\n".join([*lines[:at], *need_lines(need, len(match.group(1))), *lines[at:]]) + "\n"
    try:
        parsed = yamlfast.load(after)
    except Exception:
        return None
    expected = {**old, "needs": [*old["needs"], need]}
    return after if parsed == expected else None
