"""The learner's plan: which sub-activities the company can (AR) and wishes (AS) to
entrust, and in which company periods."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.io.paths import learner_path

if TYPE_CHECKING:
    from olapcli.core.model import PlanEntry


def set_plan(
    root: Path,
    learner_id: str,
    activity: str,
    ar: bool | None,
    as_: bool | None,
    periods: list[str] | None,
    commit: bool = False,
) -> PlanEntry:
    """Set AR / AS / planned periods of one activity for one learner; what is stored."""
    from olapcli.app.edit import editing
    from olapcli.core.model import PlanEntry
    from olapcli.io.load import require_core
    from olapcli.io.yamlwrite import child_map, flow_list, plain, scalar

    learner_path(root, learner_id)
    core = require_core(root)
    if activity not in core.activity_ids():
        raise UserError(
            _("Unknown activity « {id} ».").format(id=activity),
            _("referentiel.yaml lists the activities of the cohort"),
        )
    known = {p.id for p in core.cohort.periods}
    for p in periods or []:
        if p not in known:
            raise UserError(
                _("Unknown period « {id} ».").format(id=p),
                _("periods of this cohort: {ids}").format(ids=", ".join(sorted(known))),
            )
    if ar is None and as_ is None and periods is None:
        raise UserError(_("Nothing to set."), _("give --ar/--no-ar, --as/--no-as or --periods"))
    message = _("Plan of {learner}: activity {activity}").format(
        learner=learner_id, activity=activity
    )
    with editing(root, learner_id, message if commit else None) as doc:
        plan = child_map(doc.data, "plan")
        entry = child_map(plan, activity, as_key=scalar(activity))
        if ar is not None:
            entry["ar"] = ar
        if as_ is not None:
            entry["as"] = as_
        if periods is not None:
            entry["periods"] = flow_list(periods)
        result = PlanEntry.model_validate(plain(entry))
    return result
