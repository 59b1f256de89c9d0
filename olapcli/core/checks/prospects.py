"""The contract search (Annexe 2): each prospect's stages in their order, on dates that
can be, and each need collected from a prospect naming one of the learner's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from olapcli.core import pipeline
from olapcli.core.checks.base import error, repeated, warning
from olapcli.errors import Problem
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts
    from olapcli.core.records import Learner


def learner_prospects(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """Errors: two prospects with one id; a stage out of order, after the prospect was
    closed, dated before the stage before it, or on a day still to come (it holds until
    that day); an end date on anything but an internship; a prospect dropped without its
    reason; a need naming a prospect the learner does not have."""
    hint = _("olap prospect list {learner} shows each prospect's stages").format(learner=learner.id)
    for pid, loc in repeated(
        (p.id, ("prospects", i, "id")) for i, p in enumerate(learner.prospects)
    ):
        yield error(
            rel, loc, "prospects", _("two prospects have the id « {id} »").format(id=pid), hint
        )
    for i, prospect in enumerate(learner.prospects):
        for j, stage in enumerate(prospect.stages):
            at = ("prospects", i, "stages", j)
            fault = pipeline.stage_fault(
                prospect.stages[:j], stage.stage, stage.date, stage.end, stage.reason
            )
            if fault is not None:
                field, why = fault
                yield error(
                    rel,
                    (*at, field),
                    "prospects",
                    _("prospect {id}: {fault}").format(id=prospect.id, fault=why),
                    hint,
                )
            yield error(
                rel,
                (*at, "date"),
                "stage-in-future",
                _(
                    "prospect {id}: the stage « {stage} » is dated {date}, a day still to come"
                ).format(id=prospect.id, stage=pipeline.stage_label(stage.stage), date=stage.date),
                _("a stage is recorded once it happened: check the date"),
                until=stage.date,
            )
    known = {p.id: p for p in learner.prospects}
    for i, need in enumerate(learner.needs):
        named = known.get(need.prospect) if need.prospect else None
        if named is not None:
            first, last = named.stages[0], named.stages[-1]
            closed = last.stage in pipeline.FINAL
            if need.identified < first.date or (closed and need.identified > last.date):
                yield warning(
                    rel,
                    ("needs", i, "identified"),
                    "prospect-dates",
                    _(
                        "need {id} is identified on {date}, outside the days of its prospect {prospect} ({first} – {last})"
                    ).format(
                        id=need.id,
                        date=need.identified,
                        prospect=named.id,
                        first=first.date,
                        last=last.date if closed else "…",
                    ),
                    _(
                        "a need is collected from a company between its first contact and the end of the search with it: check the date or the prospect"
                    ),
                )
        if need.prospect is not None and need.prospect not in known:
            yield error(
                rel,
                ("needs", i, "prospect"),
                "prospects",
                _("need {id} names the prospect « {prospect} », unknown to this learner").format(
                    id=need.id, prospect=need.prospect
                ),
                hint,
            )
    signed = [p for p in learner.prospects if p.stages[-1].stage == pipeline.SIGNED]
    if signed and learner.status == "searching":
        yield warning(
            rel,
            ("status",),
            "contract-signed",
            _(
                "a contract was signed with {prospect} on {date}, and the learner is still searching"
            ).format(prospect=signed[0].name, date=signed[0].stages[-1].date),
            _("write status: contract, the company, the tutor and the contract's dates"),
        )
