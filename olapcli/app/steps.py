"""The steps of a need's cycle (Annexe 3's twelve, :mod:`olapcli.core.cycle`): record
some, with who did them (``olap need step``, the web's « mark a step »)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from olapcli.app.needs import NeedView, Recorded
from olapcli.core import cycle, records, rules
from olapcli.errors import UserError
from olapcli.i18n import _

#: the twelve steps of Annexe 3, in order
TWELVE = cycle.TWELVE
#: the keys of ``steps``, in the order olap writes them (the model's)
ORDER = (*records.MARKS, "advantage")


def step_labels() -> dict[str, str]:
    """Each step's key -> its name for the users (:func:`olapcli.core.cycle.labels`)."""
    return cycle.labels()


def step_need(
    root: Path,
    learner_id: str,
    need_id: str,
    steps: dict[str, Any],
    commit: bool = False,
    notify: bool = True,
    author: str | None = None,
    via: str = "",
    by: str | None = None,
) -> Recorded:
    """Record steps of a need's cycle: the day of each step of *steps* (a key of
    :data:`olapcli.core.cycle.MARKED`), and ``advantage``, the advantage negotiated.
    With *by* (an actor), each step is written ``{date, by}``, else as its date. A step
    already recorded is replaced. With *notify*, prepare the e-mails of the steps the
    actors are told of. *author* and *via* as for :func:`olapcli.app.needs.add_need`."""
    from olapcli.app.edit import editing, find_item
    from olapcli.io.yamlwrite import child_map, flow_map, plain, scalar

    steps = {k: v for k, v in steps.items() if k in ORDER and v not in (None, "")}
    if not steps:
        raise UserError(
            _("Nothing to record."),
            _("give the day of a step (--applied, --technical…) or --advantage"),
        )
    if by is not None and by not in rules.ACTORS:
        raise UserError(
            _("« {by} » is not one of the actors.").format(by=by),
            _("who did it: {actors}").format(actors=", ".join(rules.ACTORS)),
        )
    if by is not None and not any(k in cycle.MARKED for k in steps):
        raise UserError(_("--by says who did a step: give the step's day too."))
    message = _("Need {need} of {learner}: steps {steps}").format(
        need=need_id, learner=learner_id, steps=", ".join(steps)
    ) + (f" ({via})" if via else "")
    with editing(root, learner_id, message if commit else None, author=author) as doc:
        _i, need = find_item(doc, "needs", need_id)
        current = child_map(need, "steps")
        for key in ORDER:
            if key not in steps:
                continue
            value = steps[key]
            if key == "advantage":
                value = scalar(value)
            elif by is not None:
                value = flow_map({"date": value, "by": by})
            if key in current:
                current[key] = value
            else:
                # in the cycle's order, before the first step recorded that comes after it
                later = [k for k in current if k in ORDER and ORDER.index(k) > ORDER.index(key)]
                current.insert(list(current).index(later[0]) if later else len(current), key, value)
        data = plain(need)
    view = NeedView(
        str(data["id"]),
        None if data.get("activity") is None else str(data["activity"]),
        str(data.get("practice", rules.DEFAULT_PRACTICE)),
        list(data.get("marked_by") or []),
        data["identified"],
        data["due"],
        str(data["detail"]),
        data.get("company"),
        list(data.get("resources") or []),
        dict(data.get("steps") or {}),
        prospect=data.get("prospect"),
        competence=data.get("competence"),
    )
    done = Recorded(learner_id, view)
    if notify:
        from olapcli.app import notify as notifications

        events = [
            notifications.Event("step", learner_id, view.id, s)
            for s in notifications.ANNOUNCED_STEPS
            if s in steps
        ]
        done.notices = notifications.announce(root, events)
    return done


def add_note(
    root: Path,
    learner_id: str,
    need_id: str,
    day: Any,
    text: str,
    commit: bool = False,
    author: str | None = None,
    via: str = "",
) -> str:
    """Add the learner's note *text* of *day* to a need (``notes:``, during a workshop or
    a stay); refused (exit 2, nothing written) when empty or dated after today. The need's
    id."""
    from olapcli.app.edit import editing, find_item
    from olapcli.io.clock import today
    from olapcli.io.yamlwrite import append_item, block_seq, new_map, scalar

    text = text.strip()
    if not text:
        raise UserError(_("The note is empty: nothing to record."))
    if day > today():
        raise UserError(
            _("{date} is a day still to come: a note is written once it happened.").format(date=day)
        )
    message = _("Need {need} of {learner}: a note of {date}").format(
        need=need_id, learner=learner_id, date=day
    ) + (f" ({via})" if via else "")
    with editing(root, learner_id, message if commit else None, author=author) as doc:
        _i, need = find_item(doc, "needs", need_id)
        append_item(block_seq(need, "notes"), new_map({"date": day, "text": scalar(text)}))
        found = str(need.get("id"))
    return found
