"""Evaluations: A (autonomous), EC (being acquired) or R (resource for peers) on a
sub-activity, answering a need or not; the sub-activity's sheet proposes A or EC."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.core import rules
from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.io.paths import learner_path

if TYPE_CHECKING:
    from olapcli.app.notify import Notice
    from olapcli.core.cohortdata import Core
    from olapcli.core.model import Evaluation, Sheet


@dataclass
class EvalInput:
    """An evaluation: A, EC or R on an activity, or on the competence of the need it
    answers when that need names no sub-activity (*activity* None)."""

    activity: str | None
    level: str
    by: str
    date: dt.date
    need: str | None = None
    criteria: list[int] | None = None
    comment: str | None = None


@dataclass
class EvalRecorded:
    """What recording an evaluation did."""

    learner: str
    evaluation: Evaluation
    notices: list[Notice] = field(default_factory=list)


def form(root: Path, learner_id: str) -> Core:
    """The core files an evaluation is checked against; refused for an unknown learner
    or core files with errors."""
    from olapcli.io.load import require_core

    learner_path(root, learner_id)
    return require_core(root)


def need_of(root: Path, learner_id: str, need_id: str) -> Any:
    """The learner's need *need_id* (or the one need whose id starts with it), or None
    when there is no such need."""
    from olapcli.core.model import Learner
    from olapcli.io.load import read_model

    _path, rel = learner_path(root, learner_id)
    learner, _problems = read_model(root, rel, Learner)
    if learner is None:
        return None
    found = [n for n in learner.needs if n.id == need_id] or [
        n for n in learner.needs if n.id.startswith(need_id)
    ]
    return found[0] if len(found) == 1 else None


def check(core: Core, activity: str | None, by: str, level: str | None) -> None:
    """Refuse (exit 2) an unknown activity, actor or level (no activity: the need's
    competence, checked when the evaluation is written)."""
    if activity is not None and activity not in core.activity_ids():
        raise UserError(
            _("Unknown activity « {id} ».").format(id=activity),
            _("referentiel.yaml lists the activities of the cohort"),
        )
    if by not in rules.ACTORS:
        raise UserError(
            _("Unknown actor « {value} ».").format(value=by),
            _("actors: entreprise, formateur, alternant"),
        )
    if level is not None and level.upper() not in rules.LEVELS:
        raise UserError(_("Unknown level « {value} ».").format(value=level), _("levels: A, EC, R"))


def sheet_of(core: Core, activity: str) -> Sheet:
    """The evaluation sheet of *activity*; refused when it has none."""
    found: Sheet | None = {a.id: a for a in rules.activities(core.referentiel)}[activity].sheet
    if found is None:
        raise UserError(_("Activity {id} has no evaluation sheet.").format(id=activity))
    return found


def propose(sheet: Sheet, met: list[int]) -> str:
    """The level the sheet proposes for the criteria *met* (numbers from 1)."""
    if any(not 1 <= c <= len(sheet.criteria) for c in met):
        raise UserError(_("The sheet has criteria 1 to {n}.").format(n=len(sheet.criteria)))
    return rules.proposed_level(len(met), sheet.required)


def record_evaluation(
    root: Path,
    learner_id: str,
    inp: EvalInput,
    commit: bool = False,
    notify: bool = True,
    author: str | None = None,
    via: str = "",
) -> EvalRecorded:
    """Record an evaluation; with *notify*, prepare the e-mail to the three actors.
    *author* (« Name <e-mail> ») signs the commit, *via* ends its message (« via olap
    serve »), as for :func:`olapcli.app.needs.add_need`."""
    from olapcli.app.edit import editing, find_item, ids_in
    from olapcli.app.needs import new_id
    from olapcli.core.model import Evaluation
    from olapcli.io.yamlwrite import append_item, block_seq, flow_list, new_map, plain, scalar

    check(form(root, learner_id), inp.activity, inp.by, inp.level)
    if inp.activity is None and inp.need is None:
        raise UserError(
            _("The evaluation cannot be recorded: missing {fields}.").format(fields="--activity")
        )
    inp.level = inp.level.upper()
    message = _("Evaluation of {learner}: {activity} = {level}").format(
        learner=learner_id, activity=inp.activity or inp.need, level=inp.level
    ) + (f" ({via})" if via else "")
    with editing(root, learner_id, message if commit else None, author=author) as doc:
        if inp.need is not None:
            _i, need = find_item(doc, "needs", inp.need)
            inp.need = str(need["id"])
            theirs = need.get("activity")
            if theirs is None and inp.activity is not None:
                raise UserError(
                    _(
                        "Need {need} names no sub-activity, only a competence: leave --activity out."
                    ).format(need=inp.need)
                )
            if inp.activity != (None if theirs is None else str(theirs)):
                raise UserError(
                    _("Need {need} is on activity {a}, not {b}.").format(
                        need=inp.need, a=need.get("activity"), b=inp.activity
                    )
                )
        evals = block_seq(doc.data, "evaluations")
        items: dict[str, Any] = {
            "id": new_id("e", inp.date, ids_in(evals)),
        }
        if inp.activity is not None:
            items["activity"] = scalar(inp.activity)
        items |= {
            "level": inp.level,
            "date": inp.date,
            "by": inp.by,
        }
        if inp.need:
            items["need"] = inp.need
        if inp.criteria:
            items["criteria"] = flow_list(inp.criteria)
        if inp.comment:
            items["comment"] = scalar(inp.comment)
        entry = new_map(items)
        result = Evaluation.model_validate(plain(entry))
        append_item(evals, entry)
    done = EvalRecorded(learner_id, result)
    if notify:
        from olapcli.app import notify as notifications

        done.notices = notifications.announce(
            root, [notifications.Event("eval", learner_id, result.id)]
        )
    return done
