"""What happens to a learner that the three actors are told of (Annexe 6): a need
recorded, an evaluation recorded, a need applied or valorised in the company."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from olapcli.core.derive.history import by_id

KINDS = ("need", "eval", "step")
#: the steps of a need that are announced (prepared is the trainer's own business)
ANNOUNCED_STEPS = ("applied", "valorised")


@dataclass(frozen=True)
class Event:
    """Something that happened to a learner and must be told to the three actors."""

    kind: str  # need | eval | step
    learner: str
    item: str  # the need's or the evaluation's id
    step: str | None = None  # applied | valorised, for kind "step"

    @property
    def name(self) -> str:
        """Stable name: the file name in the outbox and the Message-ID's left part."""
        parts = [self.kind, self.learner, self.item] + ([self.step] if self.step else [])
        return "-".join(parts)


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def event_from(record: Any) -> Event | None:
    """The event an outbox marker notes, or None when it is not one olap wrote: its
    learner and item are ids (never a path: they make the e-mail's file name and the
    learner file read), its kind and step known ones."""
    if not isinstance(record, dict):
        return None
    kind, learner, item, step = (record.get(k) for k in ("kind", "learner", "item", "step"))
    if kind not in KINDS or step not in (None, *ANNOUNCED_STEPS):
        return None
    if not (isinstance(learner, str) and _ID.fullmatch(learner)):
        return None
    if not (isinstance(item, str) and _ID.fullmatch(item)):
        return None
    return Event(kind, learner, item, step)


def events_between(
    learner_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[Event]:
    """The events told by the change of a learner file from *before* to *after* (its
    data; None when the file is absent): needs and evaluations added, needs newly
    applied or valorised."""
    if after is None:
        return []
    old, new = before or {}, after
    events = []
    old_needs = by_id(old.get("needs"))
    for nid, need in by_id(new.get("needs")).items():
        if nid not in old_needs:
            events.append(Event("need", learner_id, nid))
        was = old_needs.get(nid, {}).get("steps") or {}
        now = need.get("steps") or {}
        for step in ANNOUNCED_STEPS:
            if (
                isinstance(now, dict)
                and now.get(step)
                and not (isinstance(was, dict) and was.get(step))
            ):
                events.append(Event("step", learner_id, nid, step))
    old_evals = by_id(old.get("evaluations"))
    events += [
        Event("eval", learner_id, eid)
        for eid in by_id(new.get("evaluations"))
        if eid not in old_evals
    ]
    return events
