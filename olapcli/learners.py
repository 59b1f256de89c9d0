"""Creating learner files: one at a time or from the centre's export."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from olapcli.core import ids
from olapcli.core.layout import LEARNERS_DIR
from olapcli.core.model import Learner
from olapcli.core.schemaerrors import problems_from
from olapcli.errors import ProblemsError, UserError
from olapcli.i18n import _
from olapcli.io import files as fsio
from olapcli.io.paths import learner_files
from olapcli.records import new_learner_text


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
    from olapcli.io import yamlread as yamlfast

    out = []
    for rel in learner_files(root):
        try:
            data = yamlfast.load((root / rel).read_text(encoding="utf-8"))
        except Exception:
            data = None
        data = data if isinstance(data, dict) else {}
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
        rel = f"{LEARNERS_DIR}/{learner_id}.yaml"
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
        planned.append((learner_id, new_learner_text(fields)))
    if problems:
        raise ProblemsError(_("Nothing imported: some rows are not valid."), problems)
    return planned


def create(root: Path, new: list[NewLearner], commit: bool) -> list[str]:
    """Write the learners' files (all or none); their ids."""
    if commit:
        from olapcli.io import git

        git.require_repo(root)
    with fsio.repo_lock(root):
        planned = prepare(root, new)
        written: list[Path] = []
        try:
            for learner_id, text in planned:
                path = root / LEARNERS_DIR / f"{learner_id}.yaml"
                if path.exists():  # appeared since we looked: never overwrite
                    raise UserError(_("{path} already exists.").format(path=path))
                fsio.atomic_write(path, text)
                written.append(path)
            if commit and written:
                from olapcli.io import git

                names = ", ".join(i for i, _t in planned)
                git.commit(root, written, _("Learners added: {names}").format(names=names))
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
    return [i for i, _t in planned]


def parse_day(value: Any) -> dt.date | None:
    """A date from a spreadsheet cell (date, ISO or DD/MM/YYYY); None when empty."""
    from olapcli.core.dates import parse_date
    from olapcli.io.clock import today

    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(str(value).strip(), today())
