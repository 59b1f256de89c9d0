"""Fidelity lints (SPEC §4): where the data shows the method distorted. Warnings by
default, errors with ``--strict``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from olapcli.core import rules
from olapcli.core.checks.base import warning
from olapcli.core.layout import REFERENTIEL
from olapcli.errors import Problem
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts
    from olapcli.core.cohortdata import CohortData
    from olapcli.core.records import Learner

ONE_DAY = dt.timedelta(days=1)


def learner_marked_by_company(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """Principle 1: a real production need is marked or confirmed by the company. A need
    the impact table would count but for that (:func:`olapcli.core.rules.anticipated`)
    is said so: it is left out of the figures sent to funders."""
    practices = set(facts.practices)
    for i, need in enumerate(learner.needs):
        if rules.marked_by_company(need.marked_by):
            continue
        if facts.has_cohort and rules.anticipated(need, practices, facts.imminence_days):
            message = _(
                "need {id} is not counted in the impact table: the company has not marked "
                "or confirmed it"
            ).format(id=need.id)
        else:
            message = _("need {id} is not marked by the company").format(id=need.id)
        yield warning(
            rel,
            ("needs", i, "marked_by"),
            "not-marked-by-company",
            message,
            _(
                "a need is the company's real production need: have the company "
                "confirm it, then add « entreprise » to marked_by"
            ),
        )


def learner_imminence(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """Principle 1: a need must be met soon after it is identified."""
    if not facts.has_cohort:
        return
    days = facts.imminence_days
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


def learner_new_needs_each_period(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """Principle 4: re-ask every period; a period over without a new need is a gap (from
    the day after it ends). A need belongs to the period it was identified in, or to the
    next one when identified between two (:func:`olapcli.core.rules.period_spans`); a
    period outside the learner's follow-up in a company is exempt
    (:func:`olapcli.core.rules.period_exempt`) — the label's per-period units alike."""
    if not facts.has_cohort or not facts.calendar:
        return
    followed = rules.follow_up(*facts.calendar, learner)
    spans = rules.period_spans(facts.periods, facts.calendar[0])
    found = {rules.period_of(n.identified, spans) for n in learner.needs}
    starts = {pid: start for pid, start, _end in facts.periods}
    for period_id, _begin, end in spans:
        start = starts[period_id]
        if rules.period_exempt(followed, start, end) or period_id in found:
            continue
        yield warning(
            rel,
            ("needs",) if learner.needs else ("id",),
            "no-new-need",
            _("no new need identified for the company period {id} ({start} – {end})").format(
                id=period_id, start=start, end=end
            ),
            _(
                "ask the company the multiple-choice questions of the référentiel "
                "again before each period"
            ),
            since=end + ONE_DAY,
        )


def learner_evaluated(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """A need whose due date has passed should have been evaluated (from the day after)."""
    answered = rules.answered(learner.evaluations)
    for i, need in enumerate(learner.needs):
        # a need of a practice with a grid: its own lint (checks/practices.py)
        if need.id not in answered and facts.grid(need.practice) is None:
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


def learner_support(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """Principles 3 and 5: a need's activity should have resources or subject links."""
    if not facts.has_referentiel:
        return
    for i, need in enumerate(learner.needs):
        if need.activity is not None and need.activity not in facts.supported:
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


def core_referentiel_shape(data: CohortData) -> Iterator[Problem]:
    """Annexe 6: 10 to 15 groups of 2 to 4 sub-activities."""
    if data.referentiel is None:
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
