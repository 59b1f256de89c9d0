"""Git conflict markers left in a data file, found before any YAML parser trips on them."""

from __future__ import annotations

import re

from olapcli.errors import Problem
from olapcli.i18n import _

_MARKER = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)


def conflict_problem(text: str, rel: str) -> Problem | None:
    """The first Git conflict marker left in *text*, as a problem, or None."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return None  # most files: one C-level scan
    found = _MARKER.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return Problem(
        rel,
        line,
        1,
        "error",
        "merge-conflict",
        _("unresolved merge conflict: Git left its markers (<<<<<<<, =======, >>>>>>>) here"),
        _(
            "keep what must stay of each version (both, for two different needs), delete the "
            "marker lines, then olap validate and git commit"
        ),
    )
