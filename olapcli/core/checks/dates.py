"""Date checks: dates in an order that can be."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from olapcli.core import rules
from olapcli.core.checks.base import error
from olapcli.core.layout import COHORT
from olapcli.errors import Problem
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts
    from olapcli.core.cohortdata import CohortData
    from olapcli.core.records import Learner


def core_dates(data: CohortData) -> Iterator[Problem]:
    """The cohort and its periods end after they start."""
    if data.cohort:
        if data.cohort.end < data.cohort.start:
            yield error(COHORT, ("end",), "date-order", _("the cohort ends before it starts"))
        for i, p in enumerate(data.cohort.periods):
            if p.end < p.start:
                yield error(
                    COHORT,
                    ("periods", i, "end"),
                    "date-order",
                    _("the period « {id} » ends before it starts").format(id=p.id),
                )


def learner_dates(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """A contract ends after it starts; a need is due on or after it was identified."""
    c = learner.contract
    if c and c.end and c.end < c.start:
        yield error(rel, ("contract", "end"), "date-order", _("the contract ends before it starts"))
    for i, need in enumerate(learner.needs):
        # known before the day it says it was identified: it would count in the figures
        # of days it did not exist yet (holds until that day; OLAP_TODAY sets today)
        yield error(
            rel,
            ("needs", i, "identified"),
            "identified-in-future",
            _("need {id} is identified on {date}, a day still to come").format(
                id=need.id, date=need.identified
            ),
            _("a need is recorded once the company has expressed it: check the date"),
            until=need.identified,
        )
        if rules.due_before_identified(need.identified, need.due):
            yield error(
                rel,
                ("needs", i, "due"),
                "due-before-identified",
                _("need {id}: due {due} is before it was identified ({ident})").format(
                    id=need.id, due=need.due, ident=need.identified
                ),
                _("a need is identified before it must be met: check both dates"),
            )
