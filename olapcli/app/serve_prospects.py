"""The contract search on ``olap serve`` (issue 14, point 1): the learner and the trainers
record the companies approached and the stages each reached, from the learner's page,
with ``olap prospect add | step --commit``'s use-cases — one commit signed by the person.
The tutor sees the search but does not record it (the search is for a company to come).
The same two write the learner's notes on a need (during a workshop or a stay abroad,
``olap need note``'s use-case)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.core import pipeline
from olapcli.errors import UserError
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.app.serve import Actor

#: the roles whose link records the search
SEARCHERS = ("alternant", "formateur")
#: the fields of the prospect form, and of the stage form
PROSPECT_FIELDS = ("name", "town", "contact", "phone", "first_contact", "date", "notes")
STAGE_FIELDS = ("stage", "date", "end", "reason", "notes")


def may_search(actor: Actor) -> bool:
    """Does this person's link record the contract search (the learner, a trainer)?"""
    return actor.grant.role in SEARCHERS


@dataclass
class ProspectView:
    """A prospect as the learner's page shows it."""

    id: str
    name: str
    town: str | None
    contact: str | None
    phone: str | None
    first_contact: str
    #: (stage's words, date, end, reason, notes), in order
    stages: list[tuple[str, dt.date, dt.date | None, str | None, str | None]]
    needs: int
    #: the stages that may follow (id, words); none once signed or dropped
    next: list[tuple[str, str]] = field(default_factory=list)


def views(learner: Any) -> list[ProspectView]:
    """The learner's prospects (a validated model), with what may follow each."""
    found = []
    for p in learner.prospects:
        last = pipeline.current(p.stages)
        following = [
            (s, pipeline.stage_label(s))
            for s in pipeline.STAGES
            if pipeline.follows(last.stage if last else None, s)
        ]
        found.append(
            ProspectView(
                p.id,
                p.company.name,
                p.company.town,
                p.company.contact,
                p.company.phone,
                p.first_contact,
                [
                    (pipeline.stage_label(s.stage), s.date, s.end, s.reason, s.notes)
                    for s in p.stages
                ],
                sum(n.prospect == p.id for n in learner.needs),
                following,
            )
        )
    return found


def _day(typed: str, today: dt.date, name: str) -> dt.date:
    text = typed.strip()
    if not text:
        return today
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(
            _("« {value} » is not a date ({name}).").format(value=text, name=name),
            _("write a date as YYYY-MM-DD, e.g. 2026-03-02"),
        ) from None


def _require(actor: Actor) -> None:
    if not may_search(actor):
        raise UserError(_("Only the learner and the trainers record the contract search."))


def _too_long(values: Mapping[str, str]) -> None:
    from olapcli.app.serve import TEXT_MAX

    if any(len(v) > TEXT_MAX for v in values.values()):
        raise UserError(_("At most 2,000 characters."))


def add(
    root: Path, learner_id: str, actor: Actor, values: Mapping[str, str], today: dt.date
) -> str:
    """Record a prospect with its first call (``olap prospect add --commit``), signed by
    *actor*; refused (UserError, nothing written) when a field is wrong. Its id."""
    from olapcli.app import writes
    from olapcli.app.prospects import ProspectInput, add_prospect
    from olapcli.app.serve import VIA

    _require(actor)
    _too_long(values)
    inp = ProspectInput(
        values.get("name", ""),
        values.get("first_contact", "") or ("alternant" if actor.side == "alternant" else "cre"),
        _day(values.get("date", ""), today, _("date")),
        town=values.get("town"),
        contact=values.get("contact"),
        phone=values.get("phone"),
        notes=values.get("notes"),
    )
    pid: str = writes.write(
        root, lambda: add_prospect(root, learner_id, inp, True, author=actor.author, via=VIA)
    )
    return pid


def step(
    root: Path,
    learner_id: str,
    prospect_id: str,
    actor: Actor,
    values: Mapping[str, str],
    today: dt.date,
) -> str:
    """Record the stage a prospect reached (``olap prospect step --commit``), signed by
    *actor*; refused (UserError, nothing written) when it cannot follow. Its id."""
    from olapcli.app import writes
    from olapcli.app.prospects import StageInput, add_stage
    from olapcli.app.serve import VIA

    _require(actor)
    _too_long(values)
    end = values.get("end", "").strip()
    inp = StageInput(
        values.get("stage", ""),
        _day(values.get("date", ""), today, _("date")),
        _day(end, today, _("end")) if end else None,
        values.get("reason"),
        values.get("notes"),
    )
    done: str = writes.write(
        root,
        lambda: add_stage(root, learner_id, prospect_id, inp, True, author=actor.author, via=VIA),
    )
    return done


def note(root: Path, learner_id: str, need_id: str, actor: Actor, text: str, today: dt.date) -> str:
    """Add the learner's note *text* of *today* to a need (``olap need note --commit``),
    signed by *actor* (the learner or a trainer); refused (UserError, nothing written)
    when empty or too long. The need's id."""
    from olapcli.app import writes
    from olapcli.app.serve import VIA
    from olapcli.app.steps import add_note

    if not may_search(actor):
        raise UserError(_("Only the learner and the trainers write the learner's notes."))
    _too_long({"text": text})
    done: str = writes.write(
        root,
        lambda: add_note(root, learner_id, need_id, today, text, True, actor.author, VIA),
    )
    return done
