"""What write commands need of the core files, cached by their content.

``olap need add`` must start in well under half a second. Validating
cohort.yaml and referentiel.yaml through pydantic costs more than that on
its own (importing pydantic, building the models), so the first command
after the core files change validates them fully and keeps this summary,
keyed by their bytes; the next commands read the summary (JSON) instead. A
changed byte in any core file is a different key: nothing stale is served.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from olapcli import __version__, cache

CORE_FILES = ("cohort.yaml", "referentiel.yaml", "subjects.yaml")


@dataclass
class ActivityInfo:
    id: str
    title: str
    choices: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    required: int | None = None


@dataclass
class GroupInfo:
    id: str
    title: str
    question: str
    activities: list[ActivityInfo]


@dataclass
class Summary:
    """The facts of a valid cohort that write commands check input against."""

    imminence_days: int
    practices: list[str]
    periods: list[str]
    trainers: list[str]
    groups: list[GroupInfo]

    def activity_ids(self) -> set[str]:
        return {a.id for g in self.groups for a in g.activities}

    def activity(self, activity_id: str) -> ActivityInfo | None:
        for group in self.groups:
            for act in group.activities:
                if act.id == activity_id:
                    return act
        return None


def _key(root: Path) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(__version__.encode())
    for name in CORE_FILES:
        path = root / name
        h.update(b"\0" + name.encode() + b"\0")
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()


def _file(root: Path) -> Path:
    return cache.cohort_file(root, "core")


def _from_json(data: dict[str, Any]) -> Summary:
    groups = [
        GroupInfo(g["id"], g["title"], g["question"], [ActivityInfo(**a) for a in g["activities"]])
        for g in data["groups"]
    ]
    return Summary(
        data["imminence_days"], data["practices"], data["periods"], data["trainers"], groups
    )


def _from_core(core: Any) -> Summary:
    groups = [
        GroupInfo(
            g.id,
            g.title,
            g.question,
            [
                ActivityInfo(
                    a.id,
                    a.title,
                    list(a.choices),
                    list(a.sheet.criteria) if a.sheet else [],
                    a.sheet.required if a.sheet else None,
                )
                for a in g.activities
            ],
        )
        for g in core.referentiel.groups
    ]
    cohort = core.cohort
    return Summary(
        cohort.policy.imminence_days,
        [p.id for p in cohort.practices],
        [p.id for p in cohort.periods],
        [t.id for t in cohort.trainers],
        groups,
    )


def load_summary(root: Path) -> Summary:
    """The summary of the core files; refused (exit 2) when they have errors."""
    key = _key(root)
    try:
        data = json.loads(_file(root).read_text(encoding="utf-8"))
        if data.get("key") == key:
            return _from_json(data["summary"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from olapcli.io.load import require_core

    summary = _from_core(require_core(root))
    from olapcli.io.files import atomic_write

    try:
        atomic_write(
            _file(root), json.dumps({"key": key, "summary": asdict(summary)}, ensure_ascii=False)
        )
    except OSError:
        pass  # a read-only cache folder only costs speed
    return summary
