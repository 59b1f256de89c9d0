"""Need checks that keep the figures honest (issue 13): a need is recorded once, within
the training action and the learner's contract."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from olapcli.core import rules
from olapcli.core.checks.base import error, warning
from olapcli.errors import Problem
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts
    from olapcli.core.records import Learner


def learner_duplicate_needs(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """The same need recorded twice (same activity, dates and detail, whatever the case,
    accents and spaces of the detail). An error, not a lint: each record would be counted
    in the impact table, so a duplicate inflates the figures a funder reads."""
    first: dict[tuple[str, dt.date, dt.date, str], str] = {}
    for i, need in enumerate(learner.needs):
        same = rules.need_identity(need)
        if same in first:
            yield error(
                rel,
                ("needs", i, "detail"),
                "duplicate-need",
                _("need {id} repeats need {first}: same activity, dates and detail").format(
                    id=need.id, first=first[same]
                ),
                _(
                    "a need recorded twice is counted twice in the impact table: remove "
                    "one (keep the one the evaluations answer)"
                ),
            )
        else:
            first[same] = need.id


def _outside(need: Any, start: dt.date, end: dt.date | None) -> tuple[str, dt.date] | None:
    """The first of the need's dates outside *start* – *end*: (its field, the date)."""
    for name in ("identified", "due"):
        day: dt.date = getattr(need, name)
        if day < start or (end is not None and day > end):
            return name, day
    return None


def learner_calendar(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """A need identified or due outside the training action (cohort.yaml start – end) or
    outside the learner's contract. Lints, not errors: a training action runs over its
    dates (exams late, a contract extended), and the contract search (Annexe 2) collects
    needs before a contract is signed; the figures keep them, validate shows them."""
    c = learner.contract
    for i, need in enumerate(learner.needs):
        if rules.due_before_identified(need.identified, need.due):
            continue  # a date error, said by the dates check
        out = _outside(need, *facts.calendar) if facts.calendar else None
        if out and facts.calendar:
            start, end = facts.calendar
            yield warning(
                rel,
                ("needs", i, out[0]),
                "outside-cohort",
                _("need {id}: {date} is outside the training action ({start} – {end})").format(
                    id=need.id, date=out[1], start=start, end=end
                ),
                _("check the date, or record the need in the cohort of that year"),
            )
            continue
        # a need collected from a prospect came before the contract by nature (Annexe 2)
        out = _outside(need, c.start, c.end) if c and need.prospect is None else None
        if out and c:
            yield warning(
                rel,
                ("needs", i, out[0]),
                "outside-contract",
                _("need {id}: {date} is outside the contract ({start} – {end})").format(
                    id=need.id, date=out[1], start=c.start, end=c.end or "…"
                ),
                _(
                    "a need is the company's during the contract: check the dates (a need "
                    "collected while looking for a contract names its prospect: prospect: …)"
                ),
            )
