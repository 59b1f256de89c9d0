"""Recording a need: ``olap need add``'s own path, light enough to start fast.

This module imports neither pydantic nor ruamel.yaml; :mod:`olapcli.records`
(the round-trip path) is imported only when the fast path cannot be taken.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olapcli.core import ids
from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.io import files as fsio
from olapcli.io import yamlread as yamlfast
from olapcli.io.paths import learner_path
from olapcli.io.store import Store


@dataclass
class NeedInput:
    """What a trainer gives to record an imminent need."""

    activity: str
    marked_by: list[str]
    identified: dt.date
    due: dt.date
    detail: str
    practice: str = "qualite"
    company: str | None = None
    resources: list[str] = field(default_factory=list)


def need_input_errors(inp: NeedInput) -> list[str]:
    """What the model would refuse in *inp* (the checks of ``Need``, by hand).

    ``olap need add`` checks the new need with these instead of importing
    pydantic (too slow to start); a test holds them to the model.
    """
    errors = []
    if not ID_PATTERN.match(inp.activity):
        errors.append("activity")
    if not ID_PATTERN.match(inp.practice):
        errors.append("practice")
    if (
        not inp.marked_by
        or len(set(inp.marked_by)) != len(inp.marked_by)
        or any(a not in ("entreprise", "formateur", "alternant") for a in inp.marked_by)
    ):
        errors.append("marked_by")
    if not inp.detail:
        errors.append("detail")
    if any(not r for r in inp.resources):
        errors.append("resources")
    return errors


ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass
class NeedView:
    """A need as printed back to the trainer."""

    id: str
    activity: str
    practice: str
    marked_by: list[str]
    identified: dt.date
    due: dt.date
    detail: str
    company: str | None = None
    resources: list[str] = field(default_factory=list)
    steps: dict[str, Any] = field(default_factory=dict)


def finish_write(
    root: Path, path: Path, rel: str, before: str, after: str, commit: str | None
) -> None:
    """Write *after* atomically, commit it if asked (restoring *before* if Git refuses),
    and remember the new text as valid."""
    fsio.atomic_write(path, after)
    if commit is not None:
        from olapcli.io import git

        try:
            git.commit(root, [path], commit)
        except UserError:
            fsio.atomic_write(path, before)
            raise
    Store(root).mark_valid(after)


def add_need(root: Path, learner_id: str, inp: NeedInput, commit: bool) -> NeedView:
    """Record a need; what was stored.

    Fast path: the learner file is one olap knows valid, and the need can be
    appended as text (proven by parsing, :mod:`olapcli.io.textedit`). Otherwise the
    round-trip path, which validates the whole file through the model.
    """
    wrong = need_input_errors(inp)
    if wrong:
        raise UserError(
            _("The need cannot be recorded: invalid {fields}.").format(fields=", ".join(wrong))
        )
    message = _("Imminent need for {learner}: activity {activity}, due {due}").format(
        learner=learner_id, activity=inp.activity, due=inp.due
    )
    commit_message = message if commit else None
    if commit:
        from olapcli.io import git

        git.require_repo(root)
    view = NeedView(
        "",
        inp.activity,
        inp.practice,
        list(inp.marked_by),
        inp.identified,
        inp.due,
        inp.detail,
        inp.company,
        list(inp.resources),
    )
    with fsio.repo_lock(root):
        path, rel = learner_path(root, learner_id)
        before = fsio.read_text(path, rel)
        if Store(root).known_valid(before):
            from olapcli.io import textedit

            old = yamlfast.load(before)
            taken = {str(n.get("id")) for n in old.get("needs") or [] if isinstance(n, dict)}
            view.id = _new_id("b", inp.identified, taken)
            after = textedit.append_need(before, old, _need_dict(view))
            if after is not None:
                finish_write(root, path, rel, before, after, commit_message)
                return view
        from olapcli import records
        from olapcli.io import yamlwrite as store

        with records.edit_locked(root, path, rel, commit_message, entry_checked=True) as doc:
            needs = store.block_seq(doc.data, "needs")
            view.id = _new_id("b", inp.identified, records.ids_in(needs))
            store.append_item(needs, records.need_map(view.id, inp))
    return view


def _new_id(prefix: str, day: dt.date, taken: set[str]) -> str:
    new = ids.record_id(prefix, day)
    while new in taken:
        new = ids.record_id(prefix, day)
    return new


def _need_dict(view: NeedView) -> dict[str, Any]:
    """The need as plain data, in the file's key order."""
    need: dict[str, Any] = {
        "id": view.id,
        "activity": view.activity,
        "practice": view.practice,
        "marked_by": list(view.marked_by),
        "identified": view.identified,
        "due": view.due,
        "detail": view.detail,
    }
    if view.company:
        need["company"] = view.company
    if view.resources:
        need["resources"] = list(view.resources)
    return need
