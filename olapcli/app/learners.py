"""The learners of the cohort: add one, import the centre's export, list them.

Each new learner gets a readable id (a slug of the name) and a pseudonymous key made
once, used in everything that leaves the centre. An import is all or nothing: a
duplicate (already in the cohort, or twice in the file) or a bad row refuses it all.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olapcli.core import ids, rules
from olapcli.core.layout import LEARNERS_DIR, learner_rel
from olapcli.errors import ProblemsError, UserError
from olapcli.i18n import _
from olapcli.io import files
from olapcli.io.paths import learner_files


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed: for comparing names."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in text if c.isalnum())


@dataclass
class NewLearner:
    """Fields of a learner to create, before an id and key are given."""

    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    status: str = "contract"
    company: dict[str, Any] | None = None
    tutor: dict[str, Any] | None = None
    trainers: list[str] = field(default_factory=list)
    contract: dict[str, Any] | None = None
    source: str = ""  # where it came from (file and row), for messages

    def identity(self) -> tuple[str, str, str]:
        """What makes two records the same person."""
        return fold(self.first_name), fold(self.last_name), (self.email or "").strip().lower()


def existing(root: Path) -> list[dict[str, Any]]:
    """Minimal identity of the learners already there (fast path, tolerant)."""
    from olapcli.io.yamlread import mapping

    out = []
    for rel in learner_files(root):
        raw = files.read_bytes(root / rel)
        data = mapping(raw.decode("utf-8", "replace")) if raw is not None else None
        data = data or {}
        out.append(
            {
                "id": Path(rel).stem,
                "key": data.get("key"),
                "first_name": str(data.get("first_name", "")),
                "last_name": str(data.get("last_name", "")),
                "email": str(data.get("email") or "").lower(),
            }
        )
    return out


def duplicates(new: list[NewLearner], have: list[dict[str, Any]]) -> list[str]:
    """Messages for each new learner already present, or present twice in *new*."""
    msgs = []
    seen: dict[tuple[str, str, str], str] = {}
    known = {(fold(h["first_name"]), fold(h["last_name"]), h["email"]): h["id"] for h in have}
    known_names = {(fold(h["first_name"]), fold(h["last_name"])): h["id"] for h in have}
    for item in new:
        ident = item.identity()
        name = f"{item.first_name} {item.last_name}"
        if ident in known or (not ident[2] and ident[:2] in known_names):
            other = known.get(ident) or known_names.get(ident[:2])
            msgs.append(
                _("{src}{name} is already in the cohort ({id}).").format(
                    src=item.source, name=name, id=other
                )
            )
        elif ident in seen:
            msgs.append(
                _("{src}{name} appears twice (also {other}).").format(
                    src=item.source, name=name, other=seen[ident]
                )
            )
        else:
            seen[ident] = item.source.rstrip(": ") or name
    return msgs


def prepare(root: Path, new: list[NewLearner]) -> list[tuple[str, str]]:
    """(id, file text) of each learner to create; refused on duplicates or bad data."""
    from pydantic import ValidationError

    from olapcli.core.model import Learner
    from olapcli.core.schemaerrors import problems_from
    from olapcli.io.yamlwrite import new_document_text

    have = existing(root)
    dupes = duplicates(new, have)
    if dupes:
        raise UserError(
            _("Nothing imported: duplicates found.") + "\n  " + "\n  ".join(dupes),
            _("remove the duplicate rows, or the learners already in learners/"),
        )
    taken = {h["id"] for h in have}
    keys = {h["key"] for h in have if h["key"]}
    planned = []
    problems = []
    for item in new:
        learner_id = ids.unique_slug(ids.slug(item.first_name, item.last_name), taken)
        taken.add(learner_id)
        key = ids.learner_key()
        while key in keys:
            key = ids.learner_key()
        keys.add(key)
        fields: dict[str, Any] = {
            "id": learner_id,
            "key": key,
            "first_name": item.first_name.strip(),
            "last_name": item.last_name.strip(),
            "email": item.email,
            "phone": item.phone,
            "status": item.status,
            "contract": item.contract,
            "company": item.company,
            "tutor": item.tutor,
            "trainers": item.trainers,
        }
        rel = learner_rel(learner_id)
        try:
            Learner.model_validate({k: v for k, v in fields.items() if v not in (None, [], {})})
        except ValidationError as exc:
            for p in problems_from(rel, exc):
                problems.append(
                    p.__class__(
                        item.source.rstrip(": ") or rel,
                        None,
                        None,
                        "error",
                        p.code,
                        p.message,
                        p.hint,
                    )
                )
            continue
        planned.append((learner_id, new_document_text(fields, "learner")))
    if problems:
        raise ProblemsError(_("Nothing imported: some rows are not valid."), problems)
    return planned


def create(root: Path, new: list[NewLearner], commit: bool) -> list[str]:
    """Write the learners' files (all or none); their ids."""
    if commit:
        from olapcli.io import git

        git.require_repo(root)
    with files.repo_lock(root):
        planned = prepare(root, new)
        written: list[Path] = []
        try:
            for learner_id, text in planned:
                path = root / LEARNERS_DIR / f"{learner_id}.yaml"
                if files.exists(path):  # appeared since we looked: never overwrite
                    raise UserError(_("{path} already exists.").format(path=path))
                files.atomic_write(path, text)
                written.append(path)
            if commit and written:
                from olapcli.io import git

                names = ", ".join(i for i, _t in planned)
                git.commit(root, written, _("Learners added: {names}").format(names=names))
        except BaseException:
            for path in written:
                files.remove(path)
            raise
    return [i for i, _t in planned]


def add_learner(root: Path, item: NewLearner, commit: bool = False) -> str:
    """Add one learner; their id. Refused for a trainer the cohort does not have."""
    from olapcli.io.load import require_core

    known = {t.id for t in require_core(root).cohort.trainers}
    for t in item.trainers:
        if t not in known:
            raise UserError(
                _("Unknown trainer « {id} ».").format(id=t),
                _("trainers of this cohort: {ids}").format(ids=", ".join(sorted(known))),
            )
    (learner_id,) = create(root, [item], commit)
    return learner_id


@dataclass
class LearnerRow:
    """A learner in a list, with the state of their needs."""

    id: str
    key: str
    first_name: str
    last_name: str
    status: str
    company: str | None
    needs: int
    open: int
    overdue: int
    evaluations: int


def list_learners(root: Path, today: dt.date) -> list[LearnerRow]:
    """Every learner with how many needs are open and overdue; refused when a learner
    file has errors (``olap validate`` tells which)."""
    from olapcli.io.load import valid_learners

    rows = []
    for _rel, lrn in valid_learners(root):
        answered = rules.answered(lrn.evaluations)
        open_needs = [n for n in lrn.needs if n.id not in answered]
        rows.append(
            LearnerRow(
                lrn.id,
                lrn.key,
                lrn.first_name,
                lrn.last_name,
                lrn.status,
                lrn.company.name if lrn.company else None,
                len(lrn.needs),
                len(open_needs),
                sum(n.due < today for n in open_needs),
                len(lrn.evaluations),
            )
        )
    return rows
