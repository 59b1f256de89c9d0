"""Fidelity lints (SPEC §4): where the data shows the method distorted. Warnings by
default, errors with ``--strict``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from olapcli.core import rules
from olapcli.core.checks.base import Context, warning
from olapcli.core.cohortdata import CohortData
from olapcli.core.layout import REFERENTIEL
from olapcli.errors import Problem
from olapcli.i18n import _

ONE_DAY = dt.timedelta(days=1)


def check_marked_by_company(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Principle 1: a real production need is marked or confirmed by the company."""
    for rel, learner in data.learners:
        for i, need in enumerate(learner.needs):
            if not rules.marked_by_company(need.marked_by):
                yield warning(
                    rel,
                    ("needs", i, "marked_by"),
                    "not-marked-by-company",
                    _("need {id} is not marked by the company").format(id=need.id),
                    _(
                        "a need is the company's real production need: have the company "
                        "confirm it, then add « entreprise » to marked_by"
                    ),
                )


def check_imminence(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Principle 1: a need must be met soon after it is identified."""
    if data.cohort is None:
        return
    days = data.cohort.policy.imminence_days
    for rel, learner in data.learners:
        for i, need in enumerate(learner.needs):
            if rules.due_before_identified(need.identified, need.due):
                continue  # a date error, said by the dates check
            if not rules.imminent(need.identified, need.due, days):
                yield warning(
                    rel,
                    ("needs", i, "due"),
                    "not-imminent",
                    _("need {id} is due {n} days after it was identified (more than {max})").format(
                        id=need.id, n=rules.lead_days(need.identified, need.due), max=days
                    ),
                    _(
                        "ask about the coming days: an imminent need is met within "
                        "policy.imminence_days"
                    ),
                )


def check_new_needs_each_period(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Principle 4: re-ask every period; a period over without a new need is a gap (from
    the day after it ends)."""
    if data.cohort is None:
        return
    for rel, learner in data.learners:
        if learner.status != "contract":
            continue
        for period in data.cohort.periods:
            if learner.contract and period.end < learner.contract.start:
                continue
            if learner.outcomes.rupture and learner.outcomes.rupture <= period.start:
                continue
            if not any(rules.need_in_period(n, period.start, period.end) for n in learner.needs):
                yield warning(
                    rel,
                    ("needs",) if learner.needs else ("id",),
                    "no-new-need",
                    _(
                        "no new need identified for the company period {id} ({start} – {end})"
                    ).format(id=period.id, start=period.start, end=period.end),
                    _(
                        "ask the company the multiple-choice questions of the référentiel "
                        "again before each period"
                    ),
                    since=period.end + ONE_DAY,
                )


def check_evaluated(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """A need whose due date has passed should have been evaluated (from the day after)."""
    for rel, learner in data.learners:
        answered = rules.answered(learner.evaluations)
        for i, need in enumerate(learner.needs):
            if need.id not in answered:
                yield warning(
                    rel,
                    ("needs", i, "id"),
                    "not-evaluated",
                    _("need {id} was due on {due} and has no evaluation").format(
                        id=need.id, due=need.due
                    ),
                    _("record how it went: olap eval add {learner} --need {id} …").format(
                        learner=learner.id, id=need.id
                    ),
                    since=need.due + ONE_DAY,
                )


def check_support(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Principles 3 and 5: a need's activity should have resources or subject links."""
    if data.referentiel is None:
        return
    linked = {a.id for a in rules.activities(data.referentiel) if a.subjects}
    supported = linked | {a for a, (_rel, res) in data.resources.items() if res.resources}
    for rel, learner in data.learners:
        for i, need in enumerate(learner.needs):
            if need.activity not in supported:
                yield warning(
                    rel,
                    ("needs", i, "activity"),
                    "no-support",
                    _("activity {id} has no resource and no link to another subject").format(
                        id=need.activity
                    ),
                    _(
                        "add a resource in resources/{id}.yaml or link the activity to a "
                        "subject in referentiel.yaml"
                    ).format(id=need.activity),
                )


def check_referentiel_shape(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Annexe 6: 10 to 15 groups of 2 to 4 sub-activities."""
    if data.referentiel is None or not ctx.core:
        return
    groups = data.referentiel.groups
    if not 10 <= len(groups) <= 15:
        yield warning(
            REFERENTIEL,
            ("groups",),
            "referentiel-shape",
            _("the référentiel has {n} groups; the method asks for 10 to 15").format(n=len(groups)),
        )
    for i, g in enumerate(groups):
        if not 2 <= len(g.activities) <= 4:
            yield warning(
                REFERENTIEL,
                ("groups", i, "activities"),
                "referentiel-shape",
                _("group {id} has {n} sub-activities; the method asks for 2 to 4").format(
                    id=g.id, n=len(g.activities)
                ),
            )
