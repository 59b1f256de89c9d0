"""Lints of a need's cycle (Annexe 3): a need applied in the company without a
preparation at the centre, evaluated without being applied, or with a step dated before
the need was identified. Warnings by default, errors with ``--strict``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from olapcli.core import cycle
from olapcli.core.checks.base import warning
from olapcli.errors import Problem
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts
    from olapcli.core.records import Learner


def learner_cycle(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """Only needs whose cycle is recorded (a ``steps`` block) are looked at: a file
    written before the steps were followed says nothing of them, and an evaluation alone
    does not tell whether the application was written down elsewhere."""
    evaluated = {e.need for e in learner.evaluations if e.need}
    names = cycle.labels()
    for i, need in enumerate(learner.needs):
        steps = need.steps
        if steps is None:
            continue
        if steps.applied is not None and cycle.prepared_on(steps) is None:
            yield warning(
                rel,
                ("needs", i, "steps", "applied"),
                "applied-unprepared",
                _("need {id} was applied in the company without a preparation recorded").format(
                    id=need.id
                ),
                _(
                    "the response is prepared at the centre before it is applied: record how, "
                    "e.g. olap need step {learner} {id} --technical DATE (or --prepared, "
                    "--advised, --general)"
                ).format(learner=learner.id, id=need.id),
            )
        if steps.applied is None and (steps.valorised is not None or need.id in evaluated):
            yield warning(
                rel,
                ("needs", i, "steps"),
                "evaluated-unapplied",
                _("need {id} is evaluated without being applied in the company").format(id=need.id),
                _(
                    "the company evaluates what the learner applied: record the day, "
                    "olap need step {learner} {id} --applied DATE"
                ).format(learner=learner.id, id=need.id),
            )
        for key in cycle.AFTER_IDENTIFIED:
            when = cycle.day(getattr(steps, key))
            if when is not None and when < need.identified:
                yield warning(
                    rel,
                    ("needs", i, "steps", key),
                    "step-before-identified",
                    _(
                        "need {id}: the step « {step} » is dated {date}, before the need "
                        "was identified ({identified})"
                    ).format(id=need.id, step=names[key], date=when, identified=need.identified),
                    _(
                        "the steps from the collection of the requests on follow the need: "
                        "check the dates"
                    ),
                )
