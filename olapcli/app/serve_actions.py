"""The tutor's (or a trainer's) evaluation through ``olap serve`` (SPEC §9): A / EC / R
on a need due or past, or on any activity, with the evaluation sheet's criteria when the
référentiel has them — the same use-case as ``olap eval add --commit``, one commit signed
by the person who acted. The apprentice does not evaluate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.core import rules
from olapcli.errors import UserError
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.app.evaluations import EvalRecorded
    from olapcli.app.serve import Actor
    from olapcli.core.model import Need, Sheet

#: the roles whose link may evaluate (the apprentice's may not)
EVALUATORS = ("tuteur", "formateur")
#: the level choice that takes the level the sheet proposes
FROM_SHEET = "grille"


def may_evaluate(actor: Actor) -> bool:
    """Does this person's link record evaluations (the tutor, a trainer)?"""
    return actor.grant.role in EVALUATORS


@dataclass
class Target:
    """What is evaluated: an activity (its title, its sheet), for a need or not."""

    key: str
    activity: str | None  # None: a need's competence of its practice's grid
    title: str
    sheet: Sheet | None
    need: Need | None = None


def _learner(root: Path, learner_id: str) -> Any:
    from olapcli.app.serve import one_learner

    return one_learner(root, learner_id)


def due_needs(root: Path, learner_id: str, today: dt.date) -> list[Need]:
    """The learner's open needs (no evaluation answers them yet) due today or before."""
    from olapcli.core.derive.grids import open_needs

    found = [n for n in open_needs(_learner(root, learner_id)) if n.due <= today]
    return sorted(found, key=lambda n: (n.due, n.id))


def eval_choices(root: Path, learner_id: str, today: dt.date) -> dict[str, Any]:
    """What the first step of the form offers: the needs due or past, every activity."""
    from olapcli.app.evaluations import form

    core = form(root, learner_id)
    titles = rules.subject_titles(core.referentiel, core.cohort)
    return {
        "needs": [(n, rules.need_subject(n, titles)) for n in due_needs(root, learner_id, today)],
        "groups": core.referentiel.groups,
    }


def target(root: Path, learner_id: str, key: str) -> Target | None:
    """The target *key* of the form (``b:<need id>`` or ``a:<activity id>``), or None
    when the learner has no such open need or the référentiel no such activity."""
    from olapcli.app.evaluations import form
    from olapcli.core.derive.grids import open_needs

    kind, _sep, value = key.partition(":")
    core = form(root, learner_id)
    acts = {a.id: a for a in rules.activities(core.referentiel)}
    need = None
    if kind == "b":
        found = [n for n in open_needs(_learner(root, learner_id)) if n.id == value]
        if not found:
            return None
        need = found[0]
        if need.activity is None:  # a competence of its practice's grid, evaluated on return
            titles = rules.subject_titles(None, core.cohort)
            return Target(key, None, rules.need_subject(need, titles), None, need)
        value = need.activity
    elif kind != "a":
        return None
    act = acts.get(value)
    if act is None:
        return None
    return Target(key, act.id, act.title, act.sheet, need)


@dataclass
class Evaluated:
    """The outcome of the evaluation form: per-field errors, or done."""

    errors: dict[str, str] = field(default_factory=dict)
    done: EvalRecorded | None = None


def evaluate(
    root: Path,
    learner_id: str,
    actor: Actor,
    aim: Target,
    values: Mapping[str, str],
    criteria: Sequence[str],
    today: dt.date,
) -> Evaluated:
    """Record the evaluation of the form as *actor* (``entreprise`` for a tutor,
    ``formateur`` for a trainer) on *today*, with ``olap eval add --commit``'s use-case;
    nothing is written while a field is wrong."""
    from olapcli.app.evaluations import EvalInput, propose, record_evaluation
    from olapcli.app.serve import TEXT_MAX, VIA

    if not may_evaluate(actor):
        raise UserError(_("Only the tutor and the trainers record evaluations."))
    result = Evaluated()
    level = (values.get("level") or "").strip()
    comment = (values.get("comment") or "").strip()
    met: list[int] = []
    try:
        met = sorted({int(c) for c in criteria})
    except ValueError:
        result.errors["criteria"] = _("Tick criteria of the sheet.")
    count = len(aim.sheet.criteria) if aim.sheet else 0
    if met and not all(1 <= c <= count for c in met):
        result.errors["criteria"] = _("Tick criteria of the sheet.")
    if not level:
        result.errors["level"] = _("This field is required.")
    elif level == FROM_SHEET and aim.sheet is None:
        result.errors["level"] = _("This activity has no evaluation sheet: choose A, EC or R.")
    elif level != FROM_SHEET and level not in rules.LEVELS:
        result.errors["level"] = _("Choose A, EC or R.")
    if len(comment) > TEXT_MAX:
        result.errors["comment"] = _("At most 2,000 characters.")
    if result.errors:
        return result
    if level == FROM_SHEET:
        assert aim.sheet is not None
        level = propose(aim.sheet, met)
    inp = EvalInput(
        activity=aim.activity,
        level=level,
        by=actor.side,
        date=today,
        need=aim.need.id if aim.need else None,
        criteria=met or None,
        comment=comment or None,
    )
    from olapcli.app import writes
    from olapcli.app.serve import _announce

    done = writes.write(
        root,
        lambda: record_evaluation(root, learner_id, inp, True, False, author=actor.author, via=VIA),
    )
    done.notices = _announce(root, [("eval", learner_id, done.evaluation.id, None)])
    result.done = done
    return result
