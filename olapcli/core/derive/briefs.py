"""What the impact figures need of a learner, small enough to read 10,000 at once.

``olap report`` and ``olap metrics`` read every learner of a cohort but use
only a few things of each: the names (to show or to clear them), the needs,
the outcomes, the latest level per sub-activity and what the company cannot
do. A :class:`LearnerBrief` holds exactly that, derived from a validated
:class:`~olapcli.core.model.Learner` by :func:`of` — the only place that decides
what a brief says, so the figures are the same whether they come from the
model or from the cache.

Briefs are kept in olap's cache (:mod:`olapcli.io.store`) as the JSON of
:func:`to_json`, under the digest of the learner file's bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from olapcli.core import cycle, rules
from olapcli.core.derive.grids import latest_evaluations
from olapcli.core.derive.pipeline import ProspectBrief, brief_of
from olapcli.core.derive.textfold import words_of

#: outcome indicators, in the order of the Annexe 7 table (see olapcli.core.derive.metrics)
OUTCOME_KEYS = (
    "rupture",
    "exam",
    "placement",
    "absence_hours",
    "insertion_6m",
    "satisfaction_learner",
    "satisfaction_company",
)


@dataclass(slots=True)
class NeedBrief:
    """A need as the figures use it."""

    id: str
    activity: str | None  # None: a competence of its practice's grid alone
    practice: str
    identified: dt.date
    due: dt.date
    detail: str
    resources: tuple[str, ...]
    #: its actors (the count rule asks for the company's mark)
    marked_by: tuple[str, ...] = ()
    #: the days it was prepared, applied and valorised (None: not yet)
    prepared: dt.date | None = None
    applied: dt.date | None = None
    valorised: dt.date | None = None
    #: an advantage obtained is recorded (its text stays in the learner file)
    advantage: bool = False
    #: an evaluation answers it
    evaluated: bool = False
    #: the competence of its practice's grid, and the level the company gave on the
    #: return (the latest evaluation by the company answering it), when there are
    competence: str | None = None
    returned: str | None = None


@dataclass(slots=True)
class LearnerBrief:
    """A learner as the figures use it."""

    id: str
    key: str
    first_name: str
    last_name: str
    tutor: tuple[str, str] | None
    #: the company's name (cleared from texts as the people's names are)
    company: str | None
    needs: tuple[NeedBrief, ...]
    #: indicator -> True/False, a number, or None when unknown (never « no » for unknown)
    outcomes: dict[str, Any]
    #: activity -> the level of the most recent evaluation on it
    latest: dict[str, str]
    #: activities the company cannot offer (AR = no)
    not_feasible: frozenset[str]
    #: what tells whether the needs' texts may hold a name, a phone number or an e-mail
    #: address (see :func:`olapcli.core.derive.textfold.words_of`)
    words: frozenset[str]
    #: the charter's figures: the days of the meetings with the company...
    meetings: tuple[dt.date, ...] = ()
    #: ...the contract's start and the rupture's and drop-out's dates (or True/False/None),
    #: when the learner is in contract with a company (see rules.follow_span)
    follow: tuple[Any, Any, Any] | None = None
    #: the paths out besides rupture and insertion: drop-out, further study (None: unknown)
    dropout: bool | None = None
    further_study: bool | None = None
    #: the contract search: each prospect's first contact, internship, contract, needs
    prospects: tuple[ProspectBrief, ...] = ()


def of(learner: Any) -> LearnerBrief:
    """The brief of a validated :class:`~olapcli.core.model.Learner`."""
    o = learner.outcomes
    answered = {e.need for e in learner.evaluations if e.need}
    returned = {need: e.level for need, e in rules.company_returns(learner.evaluations).items()}
    return LearnerBrief(
        id=learner.id,
        key=learner.key,
        first_name=learner.first_name,
        last_name=learner.last_name,
        tutor=(learner.tutor.first_name, learner.tutor.last_name) if learner.tutor else None,
        company=learner.company.name if learner.company else None,
        needs=tuple(
            NeedBrief(
                n.id,
                n.activity,
                n.practice,
                n.identified,
                n.due,
                n.detail,
                tuple(n.resources),
                tuple(n.marked_by),
                *_steps(n.steps),
                n.id in answered,
                n.competence,
                returned.get(n.id),
            )
            for n in learner.needs
        ),
        outcomes={
            "rupture": None if o.rupture is None else o.rupture is not False,
            "exam": None if o.exam is None else o.exam == "passed",
            "placement": o.placement,
            "absence_hours": o.absence_hours,
            "insertion_6m": o.insertion_6m,
            "satisfaction_learner": o.satisfaction_learner,
            "satisfaction_company": o.satisfaction_company,
        },
        latest={a: ev.level for a, ev in latest_evaluations(learner).items()},
        not_feasible=frozenset(a for a, p in learner.plan.items() if p.ar is False),
        words=words_of([t for n in learner.needs for t in (n.detail, *n.resources)]),
        meetings=tuple(m.date for m in learner.meetings),
        follow=(
            (learner.contract.start if learner.contract else None, o.rupture, o.dropout)
            if learner.status == "contract" and learner.company is not None
            else None
        ),
        dropout=None if o.dropout is None else o.dropout is not False,
        further_study=o.further_study,
        prospects=tuple(brief_of(p, learner.needs) for p in learner.prospects),
    )


def to_json(b: LearnerBrief) -> list[Any]:
    """A brief as compact JSON data (lists: the field order is the format)."""
    return [
        b.id,
        b.key,
        b.first_name,
        b.last_name,
        list(b.tutor) if b.tutor else None,
        b.company,
        [
            [
                n.id,
                n.activity,
                n.practice,
                n.identified.isoformat(),
                n.due.isoformat(),
                n.detail,
                list(n.resources),
                list(n.marked_by),
                [_day_json(n.prepared), _day_json(n.applied), _day_json(n.valorised)],
                n.advantage,
                n.evaluated,
                n.competence,
                n.returned,
            ]
            for n in b.needs
        ],
        [b.outcomes[k] for k in OUTCOME_KEYS],
        b.latest,
        sorted(b.not_feasible),
        " ".join(sorted(b.words)),  # one string: a tenth of the brief, read at once
        [d.isoformat() for d in b.meetings],
        [_day_json(v) for v in b.follow] if b.follow is not None else None,
        b.dropout,
        b.further_study,
        [[_day_json(p.first), p.internship, _day_json(p.signed), p.needs] for p in b.prospects],
    ]


def _steps(steps: Any) -> tuple[Any, Any, Any, bool]:
    """(prepared, applied, valorised, advantage recorded?) of a need's steps: prepared is
    the first day of a preparation at the centre (:func:`olapcli.core.cycle.prepared_on`)."""
    if steps is None:
        return None, None, None, False
    return (
        cycle.prepared_on(steps),
        cycle.day(steps.applied),
        cycle.day(steps.valorised),
        bool(steps.advantage),
    )


def _day_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _day_of(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def from_json(data: Any) -> LearnerBrief:
    """The brief stored by :func:`to_json`; ``ValueError`` when its shape is wrong.

    Types are not checked one by one: the cache file is read only when its
    checksum proves it is exactly what olap wrote (see :func:`_read`), and
    what olap wrote came from a validated learner."""
    try:
        ident, key, first, last, tutor, company, needs, outcomes, latest, nf, words, *rest = data
        meetings, follow, dropout, further, prospects = rest
        date = dt.date.fromisoformat
        return LearnerBrief(
            ident,
            key,
            first,
            last,
            (tutor[0], tutor[1]) if tutor else None,
            company,
            tuple(
                [
                    NeedBrief(
                        i,
                        a,
                        p,
                        date(d1),
                        date(d2),
                        detail,
                        tuple(res),
                        tuple(by),
                        _day_of(days[0]),
                        _day_of(days[1]),
                        _day_of(days[2]),
                        adv,
                        ev,
                        comp,
                        ret,
                    )
                    for i, a, p, d1, d2, detail, res, by, days, adv, ev, comp, ret in needs
                ]
            ),
            dict(zip(OUTCOME_KEYS, outcomes, strict=True)),
            dict(latest),
            frozenset(nf),
            frozenset(words.split()),
            tuple(date(d) for d in meetings),
            (_day_of(follow[0]), _day_of(follow[1]), _day_of(follow[2])) if follow else None,
            dropout,
            further,
            tuple(ProspectBrief(_day_of(a), b, _day_of(c), d) for a, b, c, d in prospects),
        )
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise ValueError(f"bad brief: {exc}") from exc
