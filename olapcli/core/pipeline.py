"""The contract search (Annexe 2 of the method): a learner without a company, or the
centre's company-relations officer (CRE) for them, calls companies, asks each for an
imminent production need, prepares an answer at the centre, calls back, visits, proposes
an internship and, from the internship, a contract.

Each company approached is a *prospect* of the learner's file, with the dated stages it
went through. The stages follow one order; a stage may be skipped (a CRE's first contact
is often a visit) but never comes back, and nothing follows a signed contract or a
prospect dropped. The same rules serve validate (:mod:`olapcli.core.checks.prospects`),
the commands that add a stage, and the figures (:mod:`olapcli.core.derive.pipeline`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from olapcli.i18n import _

FIRST_CALL = "premier-appel"
CALL_BACK = "rappel"
VISIT = "visite"
INTERNSHIP_PROPOSED = "stage-propose"
INTERNSHIP = "stage"
CONTRACT_PROPOSED = "contrat-propose"
SIGNED = "contrat-signe"
DROPPED = "abandon"

#: the stages in their order (the last, dropped, may come after any other)
STAGES: tuple[str, ...] = (
    FIRST_CALL,
    CALL_BACK,
    VISIT,
    INTERNSHIP_PROPOSED,
    INTERNSHIP,
    CONTRACT_PROPOSED,
    SIGNED,
    DROPPED,
)
RANK = {stage: i for i, stage in enumerate(STAGES)}
#: nothing follows these
FINAL = frozenset({SIGNED, DROPPED})
#: who made the first contact with the company: the learner, or the centre's CRE
FIRST_CONTACT: tuple[str, ...] = ("alternant", "cre")


def stage_label(stage: str) -> str:
    """The stage in the reader's words."""
    labels = {
        FIRST_CALL: _("first call"),
        CALL_BACK: _("call back after preparation"),
        VISIT: _("visit"),
        INTERNSHIP_PROPOSED: _("internship proposed"),
        INTERNSHIP: _("internship"),
        CONTRACT_PROPOSED: _("contract proposed"),
        SIGNED: _("contract signed"),
        DROPPED: _("dropped"),
    }
    return labels.get(stage, stage)


def stage_fault(
    before: Sequence[Any],
    stage: str,
    day: dt.date,
    end: dt.date | None = None,
    reason: str | None = None,
) -> tuple[str, str] | None:
    """Why the stage *stage* on *day* (an internship until *end*; dropped for *reason*)
    cannot follow the stages *before* (objects with ``stage`` and ``date``): the field at
    fault (``stage``, ``date``, ``end`` or ``reason``) and why, in words; None when it can."""
    if stage == DROPPED and not (reason or "").strip():
        return "reason", _("a prospect is dropped with its reason")
    if stage != DROPPED and (reason or "").strip():
        return "reason", _("only a prospect dropped has a reason (notes for the others)")
    if end is not None and stage != INTERNSHIP:
        return "end", _("only an internship has an end date")
    if end is not None and end < day:
        return "end", _("the internship ends on {end}, before it starts ({start})").format(
            end=end, start=day
        )
    if not before:
        return None
    last = before[-1]
    if last.stage in FINAL:
        return "stage", _("the prospect is closed ({stage} on {date}): nothing follows").format(
            stage=stage_label(last.stage), date=last.date
        )
    if not follows(last.stage, stage):
        return "stage", _("« {stage} » cannot follow « {last} »: the stages go {order}").format(
            stage=stage_label(stage),
            last=stage_label(last.stage),
            order=" → ".join(stage_label(s) for s in STAGES[:-1]),
        )
    if day < last.date:
        return "date", _("{date} is before the previous stage ({last}, {last_date})").format(
            date=day, last=stage_label(last.stage), last_date=last.date
        )
    return None


def follows(last: str | None, stage: str) -> bool:
    """May *stage* come after the stage *last* (None: the first)? Later in the order, or
    dropped; nothing after a contract signed or a prospect dropped."""
    if last is None:
        return True
    if last in FINAL:
        return False
    return stage == DROPPED or RANK.get(stage, -1) > RANK.get(last, -1)


def reached(stages: Sequence[Any], stage: str) -> Any | None:
    """The first of *stages* that is *stage*, or None."""
    return next((s for s in stages if s.stage == stage), None)


def current(stages: Sequence[Any]) -> Any | None:
    """Where the prospect stands: its last stage, or None before any."""
    return stages[-1] if stages else None
