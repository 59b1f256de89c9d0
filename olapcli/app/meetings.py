"""Meetings with the company: the charter asks for at least two a year with the employer
(a visit, a call or a video call, with the tutor, the employer or both)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.core import rules
from olapcli.errors import UserError
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.model import Meeting

#: what people type for a kind of meeting, besides its own name
KIND_ALIASES: dict[str, str] = {
    "telephone": "téléphone",
    "tel": "téléphone",
    "tél": "téléphone",
    "phone": "téléphone",
    "video": "visio",
    "visit": "visite",
}
#: ...and for whom they met
WITH_ALIASES: dict[str, str] = {"tutor": "tuteur", "employer": "employeur"}


@dataclass
class MeetingInput:
    """A meeting as typed: its day, how, with whom, and notes."""

    date: dt.date
    kind: str
    with_: list[str]
    notes: str | None = None


@dataclass
class MeetingRecorded:
    """What recording a meeting did."""

    learner: str
    meeting: Meeting
    #: how many meetings the learner had in the twelve months up to the meeting
    in_year: int = 0


def normalise(inp: MeetingInput) -> MeetingInput:
    """The input with its kind and people in the file's words; refused (exit 2) when one
    is unknown."""
    kind = inp.kind.strip().lower()
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in rules.MEETING_KINDS:
        raise UserError(
            _("Unknown kind of meeting « {value} ».").format(value=inp.kind),
            _("kinds: visite, téléphone, visio"),
        )
    people: list[str] = []
    for raw in inp.with_:
        who = WITH_ALIASES.get(raw.strip().lower(), raw.strip().lower())
        if who not in rules.MEETING_WITH:
            raise UserError(
                _("Unknown person met « {value} ».").format(value=raw),
                _("--with takes tuteur, employeur or both: tuteur,employeur"),
            )
        if who not in people:
            people.append(who)
    if not people:
        raise UserError(
            _("The meeting cannot be recorded: missing {fields}.").format(fields="--with"),
            _("--with takes tuteur, employeur or both: tuteur,employeur"),
        )
    notes = inp.notes.strip() if inp.notes else None
    return MeetingInput(inp.date, kind, people, notes or None)


def record_meeting(
    root: Path, learner_id: str, inp: MeetingInput, commit: bool = False
) -> MeetingRecorded:
    """Append a meeting to the learner's file (under the lock, only the new lines
    written, committed if asked)."""
    from olapcli.app.edit import editing
    from olapcli.core.model import Meeting
    from olapcli.io.paths import learner_path
    from olapcli.io.yamlwrite import append_item, block_seq, flow_list, new_map, plain, scalar

    learner_path(root, learner_id)  # an unknown learner is refused before anything
    inp = normalise(inp)
    message = _("Meeting with the company of {learner} on {date} ({kind})").format(
        learner=learner_id, date=inp.date, kind=inp.kind
    )
    with editing(root, learner_id, message if commit else None) as doc:
        seq = block_seq(doc.data, "meetings")
        items: dict[str, Any] = {
            "date": inp.date,
            "kind": scalar(inp.kind),
            "with": flow_list(list(inp.with_)),
        }
        if inp.notes:
            items["notes"] = scalar(inp.notes)
        entry = new_map(items)
        result = Meeting.model_validate(plain(entry))
        append_item(seq, entry)
        dates: list[dt.date] = [
            m["date"] for m in seq if isinstance(m, dict) and isinstance(m.get("date"), dt.date)
        ]
    in_year = rules.meetings_between(dates, inp.date - rules.YEAR + rules.ONE_DAY, inp.date)
    return MeetingRecorded(learner_id, result, in_year)
