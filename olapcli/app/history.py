"""``olap log LEARNER``: the learner's history from Git, said in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from olapcli.core.derive.history import describe
from olapcli.io import gitlog
from olapcli.io.paths import learner_path
from olapcli.io.yamlread import mapping


@dataclass
class Change:
    """One commit that changed the learner's file, and what it changed."""

    date: dt.datetime
    author: str
    sha: str
    message: str
    changes: list[str]
    #: the history before this commit is not in this clone (shallow): its changes unknown
    cut: bool = False


def learner_log(root: Path, learner_id: str) -> list[Change]:
    """The commits that changed the learner's file, newest first. A merge is shown only
    for what neither side had: what it joined is shown in the commits it joined. In a
    shallow clone the last one is *cut*: what it changed is unknown."""
    path, _rel = learner_path(root, learner_id)
    out = []
    for rev in gitlog.file_history(root, path):
        if rev.cut:
            out.append(Change(rev.date, rev.author, rev.sha, rev.message, [], cut=True))
            break
        after = mapping(rev.text)
        changes = describe(mapping(rev.parent_text), after)
        for other in rev.other_parent_texts:
            already = set(describe(mapping(other), after))
            changes = [c for c in changes if c in already]
        if rev.other_parent_texts and not changes:
            continue
        out.append(Change(rev.date, rev.author, rev.sha, rev.message, changes))
    return out
