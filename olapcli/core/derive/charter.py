"""The charter's figures for the report: the two meetings a year with the employer, and
how the learners left (rupture, drop-out, further study, insertion at six months)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from olapcli.core import rules
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.derive.briefs import LearnerBrief


def span_of(
    learner: LearnerBrief, cohort_start: dt.date, cohort_end: dt.date
) -> tuple[dt.date, dt.date, bool] | None:
    """The learner's follow-up in the company within the cohort's dates, or None."""
    if learner.follow is None:
        return None
    contract_start, rupture, dropout = learner.follow
    return rules.follow_span(cohort_start, cohort_end, contract_start, (rupture, dropout))


def meetings(
    learner: LearnerBrief, cohort_start: dt.date, cohort_end: dt.date, today: dt.date
) -> tuple[int, bool | None]:
    """How many meetings with the company in the twelve months up to *today* (or up to the
    end of the follow-up, when it is over), and whether the charter's two a year are met
    (None: not asked of this learner: no contract, no company)."""
    span = span_of(learner, cohort_start, cohort_end)
    if span is None:
        return 0, None
    day = min(today, span[1])
    held = [d for d in learner.meetings if span[0] <= d <= span[1]]
    count = rules.meetings_between(held, day - rules.YEAR + rules.ONE_DAY, day)
    return count, rules.meetings_met(learner.meetings, span, today)


def outcome_counts(learners: list[LearnerBrief]) -> list[tuple[str, int]]:
    """How many learners left each way (labels in the reader's language), unknown
    counted apart from « no »."""
    insertion = [b.outcomes.get("insertion_6m") for b in learners]
    return [
        (_("Contract broken (rupture)"), sum(b.outcomes.get("rupture") is True for b in learners)),
        (_("Left the training (abandon)"), sum(b.dropout is True for b in learners)),
        (_("Further study (poursuite d'études)"), sum(b.further_study is True for b in learners)),
        (_("Employed 6 months after"), sum(v is True for v in insertion)),
        (_("Not employed 6 months after"), sum(v is False for v in insertion)),
        (_("Insertion at 6 months unknown"), sum(v is None for v in insertion)),
    ]
