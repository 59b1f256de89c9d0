"""A learner file's data as the checks and the briefs read it: plain frozen records with the
model's field names, made without pydantic.

pydantic validates a learner file in a fraction of a millisecond once loaded, but loading it
and building the learner's schema cost close to half a second: more than ``olap validate``
may take after one learner file was edited. So the checks of a learner file and its brief
read these records: :func:`learner` makes them from what the model validated, and
:func:`olapcli.core.quick.learner` straight from a file's data when it is certainly valid
by the model's rules (the model decides the rest).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Contract:
    type: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    siret: str | None
    address: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class Tutor:
    first_name: str
    last_name: str
    email: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class PlanEntry:
    ar: bool | None
    as_: bool | None
    periods: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StepMark:
    date: dt.date
    by: str | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class Steps:
    contracted: StepMark | None
    coached: StepMark | None
    questioned: StepMark | None
    supported: StepMark | None
    collected: StepMark | None
    advised: StepMark | None
    technical: StepMark | None
    general: StepMark | None
    prepared: StepMark | None
    briefed: StepMark | None
    applied: StepMark | None
    valorised: StepMark | None
    negotiated: StepMark | None
    advantage: str | None


#: the steps' keys that hold a mark, in the order of the model (and of the records)
MARKS = (
    "contracted", "coached", "questioned", "supported", "collected", "advised", "technical",
    "general", "prepared", "briefed", "applied", "valorised", "negotiated",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Note:
    date: dt.date
    text: str


@dataclass(frozen=True, slots=True)
class Need:
    id: str
    activity: str | None  # None: a competence of a practice grid only
    practice: str
    marked_by: tuple[str, ...]
    identified: dt.date
    due: dt.date
    detail: str
    company: str | None
    resources: tuple[str, ...]
    steps: Steps | None
    prospect: str | None = None
    competence: str | None = None
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class Evaluation:
    id: str
    activity: str | None  # None: answers a need with no activity
    level: str
    date: dt.date
    by: str
    need: str | None
    criteria: tuple[int, ...] | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class Meeting:
    date: dt.date
    kind: str
    with_: tuple[str, ...]
    notes: str | None


@dataclass(frozen=True, slots=True)
class Stage:
    stage: str
    date: dt.date
    end: dt.date | None
    reason: str | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class Prospect:
    id: str
    name: str
    town: str | None
    contact: str | None
    phone: str | None
    first_contact: str
    stages: tuple[Stage, ...]


@dataclass(frozen=True, slots=True)
class Outcomes:
    rupture: dt.date | bool | None
    exam: str | None
    placement: bool | None
    absence_hours: float | None
    insertion_6m: bool | None
    satisfaction_learner: int | None
    satisfaction_company: int | None
    dropout: dt.date | bool | None
    further_study: bool | None


@dataclass(frozen=True, slots=True)
class Learner:
    id: str
    key: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    status: str
    contract: Contract | None
    company: Company | None
    tutor: Tutor | None
    trainers: tuple[str, ...]
    plan: dict[str, PlanEntry]
    needs: tuple[Need, ...]
    evaluations: tuple[Evaluation, ...]
    meetings: tuple[Meeting, ...]
    outcomes: Outcomes
    prospects: tuple[Prospect, ...] = ()


# --- from what the model validated -------------------------------------------------------


def learner(m: Any) -> Learner:
    """The record of a learner the model validated (a :class:`olapcli.core.model.Learner`,
    read by its attributes)."""
    c, co, t, o = m.contract, m.company, m.tutor, m.outcomes
    return Learner(
        m.id,
        m.key,
        m.first_name,
        m.last_name,
        m.email,
        m.phone,
        m.status,
        Contract(c.type, c.start, c.end) if c else None,
        Company(co.name, co.siret, co.address, co.phone) if co else None,
        Tutor(t.first_name, t.last_name, t.email, t.phone) if t else None,
        tuple(m.trainers),
        {a: PlanEntry(e.ar, e.as_, tuple(e.periods)) for a, e in m.plan.items()},
        tuple(_need(n) for n in m.needs),
        tuple(
            Evaluation(
                e.id,
                e.activity,
                e.level,
                e.date,
                e.by,
                e.need,
                None if e.criteria is None else tuple(e.criteria),
                e.comment,
            )
            for e in m.evaluations
        ),
        tuple(Meeting(g.date, g.kind, tuple(g.with_), g.notes) for g in m.meetings),
        Outcomes(
            o.rupture,
            o.exam,
            o.placement,
            o.absence_hours,
            o.insertion_6m,
            o.satisfaction_learner,
            o.satisfaction_company,
            o.dropout,
            o.further_study,
        ),
        tuple(
            Prospect(
                p.id,
                p.company.name,
                p.company.town,
                p.company.contact,
                p.company.phone,
                p.first_contact,
                tuple(Stage(g.stage, g.date, g.end, g.reason, g.notes) for g in p.stages),
            )
            for p in m.prospects
        ),
    )


def _need(n: Any) -> Need:
    s = n.steps
    return Need(
        n.id,
        n.activity,
        n.practice,
        tuple(n.marked_by),
        n.identified,
        n.due,
        n.detail,
        n.company,
        tuple(n.resources),
        _steps(s) if s else None,
        n.prospect,
        n.competence,
        tuple(Note(x.date, x.text) for x in n.notes),
    )


def _steps(s: Any) -> Steps:
    marks: dict[str, Any] = {
        k: StepMark(m.date, m.by, m.notes) if (m := getattr(s, k)) else None for k in MARKS
    }
    return Steps(**marks, advantage=s.advantage)
