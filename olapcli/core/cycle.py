"""The cycle of a need: the twelve steps of Annexe 3, where a need stands in them, and
what a recorded cycle must hold (the lints of :mod:`olapcli.core.checks.cycle`).

A need's ``steps`` name each step by a stable English key; each is a date or a mapping
``{date, by, notes}`` (:class:`olapcli.core.model.StepMark`). Three keys are older than
the twelve steps and keep their meaning: ``prepared`` (the response prepared at the
centre, whatever the way: it stands for steps 6 to 8 when those are not written one by
one), ``applied`` (step 10), ``valorised`` (step 11); ``advantage`` is the text of the
advantage negotiated (step 12). No I/O here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from olapcli.i18n import _

#: the twelve steps of Annexe 3, in order: each one's key in a need's ``steps``
TWELVE = (
    "contracted", "coached", "questioned", "supported", "collected", "advised", "technical",
    "general", "briefed", "applied", "valorised", "negotiated",
)  # fmt: skip
#: every key of ``steps`` that holds a date (the twelve and ``prepared``)
MARKED = (*TWELVE, "prepared")
#: the keys that say the response was prepared at the centre (steps 6 to 8, or prepared)
PREPARATION = ("advised", "technical", "general", "prepared")
#: where the preparation's steps written one by one (6 to 8) stand among the twelve
_ONE_BY_ONE = tuple(TWELVE.index(k) for k in PREPARATION[:3])
#: the steps that follow the need's collection (5 onwards): none comes before the need
#: was identified (a contract, a training to question, the questions and the support of a
#: call come before, by nature)
AFTER_IDENTIFIED = (*TWELVE[4:], "prepared")


def labels() -> dict[str, str]:
    """Each step's key -> its name for the users (in the current language; made once per
    language: a site of 1,000 learners asks for them thousands of times)."""
    from olapcli.i18n import language

    lang = language()
    if lang not in _LABELS:
        _LABELS[lang] = _labels()
    return _LABELS[lang]


_LABELS: dict[str, dict[str, str]] = {}


def _labels() -> dict[str, str]:
    return {
        "contracted": _("contract with the learner"),
        "coached": _("learner trained to question"),
        "questioned": _("company questioned"),
        "supported": _("support during a call or a visit"),
        "collected": _("requests collected at the centre"),
        "advised": _("self-training or targeted advice"),
        "technical": _("technical course"),
        "general": _("general-education course"),
        "briefed": _("brief before going back to the company"),
        "applied": _("applied in the company"),
        "valorised": _("evaluated and valorised"),
        "negotiated": _("advantage negotiated"),
        "prepared": _("response prepared at the centre"),
    }


def day(mark: Any) -> dt.date | None:
    """The day of a step's mark (a record or a model), None when the step is not done."""
    return None if mark is None else mark.date


def prepared_on(steps: Any) -> dt.date | None:
    """The first day the response was prepared at the centre: ``prepared``, or a
    self-training or targeted advice, a technical or a general-education course."""
    if steps is None:
        return None
    days = [d for k in PREPARATION if (d := day(getattr(steps, k))) is not None]
    return min(days) if days else None


class Step(NamedTuple):
    """One of the twelve steps of a need: its number, key and name, and whether it is done
    (``done``: recorded; ``covered``: steps 6 to 8 when only ``prepared`` says the
    response was prepared). A named tuple: the site's grid makes twelve for each need,
    tens of thousands on a big cohort."""

    number: int
    key: str
    label: str
    state: str  # "done" | "covered" | ""
    date: dt.date | None = None
    by: str | None = None


@dataclass(frozen=True)
class Cycle:
    """Where a need stands in its cycle."""

    steps: tuple[Step, ...]
    #: the furthest step reached (0: none recorded)
    position: int
    #: the name of that step (the response prepared, when only ``prepared`` says so)
    label: str

    def text(self) -> str:
        """« step 7/12: technical course », or that no step is recorded yet."""
        if not self.position:
            return _("no step recorded yet")
        return _("step {n}/{total}: {label}").format(
            n=self.position, total=len(TWELVE), label=self.label
        )


def of(steps: Any, evaluation: Any = None) -> Cycle:
    """The cycle of a need whose ``steps`` are *steps* (a record, a model or None), and
    the first *evaluation* answering it, if any (step 11 when ``valorised`` is not
    written: the company evaluated the application)."""
    names = labels()
    if steps is None and evaluation is None:
        return Cycle(tuple(Step(n, k, names[k], "") for n, k in enumerate(TWELVE, 1)), 0, "")
    marks = [getattr(steps, k, None) for k in TWELVE] if steps is not None else [None] * 12
    prepared = getattr(steps, "prepared", None) if steps is not None else None
    if any(marks[i] is not None for i in _ONE_BY_ONE):
        prepared = None  # the steps written one by one say more
    out = []
    for number, (key, mark) in enumerate(zip(TWELVE, marks, strict=True), start=1):
        if mark is not None:
            out.append(Step(number, key, names[key], "done", mark.date, mark.by))
        elif key == "valorised" and evaluation is not None:
            out.append(Step(number, key, names[key], "done", evaluation.date, evaluation.by))
        elif key == "negotiated" and steps is not None and steps.advantage:
            out.append(Step(number, key, names[key], "done"))
        elif prepared is not None and key in PREPARATION:
            out.append(Step(number, key, names[key], "covered", prepared.date, prepared.by))
        else:
            out.append(Step(number, key, names[key], ""))
    last = next((s for s in reversed(out) if s.state), None)
    if last is None:
        return Cycle(tuple(out), 0, "")
    label = names["prepared"] if last.state == "covered" else last.label
    return Cycle(tuple(out), last.number, label)
