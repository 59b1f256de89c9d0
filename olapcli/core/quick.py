"""A learner file's records read straight from its data, when it is certainly valid.

Conservative: anything unusual (an unknown key, a date written as text, an e-mail address
with a name or capitals in its domain, a number where text is expected…) gives ``None``,
and the model (pydantic) decides, with its messages. tests/test_records.py holds this
reader to the model: whatever it accepts, the model accepts, with the same values.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from olapcli.core import links, pipeline, rules
from olapcli.core.records import (
    MARKS,
    Company,
    Contract,
    Evaluation,
    Learner,
    Meeting,
    Need,
    Note,
    Outcomes,
    PlanEntry,
    Prospect,
    Stage,
    StepMark,
    Steps,
    Tutor,
)

#: above any hour count, and below infinity (« 1e400 » reads as infinity: the model says no)
_FINITE = 1e300


class _Doubt(Exception):
    """Not certainly valid: the model decides."""


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_KEY = re.compile(r"[A-Z0-9-]{4,32}")
#: addresses e-mail-validator accepts and normalizes to themselves, and only such
_LOCAL = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_SPECIAL_USE = {"arpa", "invalid", "local", "localhost", "onion", "test"}


def _fields(data: Any, required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Any]:
    if type(data) is not dict:
        raise _Doubt
    if any(k not in data for k in required) or any(
        k not in required and k not in optional for k in data
    ):
        raise _Doubt
    return data


def _str(value: Any) -> str:
    if type(value) is not str:
        raise _Doubt
    return value


def _text(value: Any) -> str:
    if type(value) is not str or not value:
        raise _Doubt
    return value


def _plain(value: Any) -> str:
    text = _text(value)
    if links.hidden(text):  # the model says what is wrong
        raise _Doubt
    return text


def _resource(value: Any) -> str:
    text = _text(value)
    if links.looks_like_link(text) and links.has_control(text):
        raise _Doubt
    return text


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _id(value: Any) -> str:
    if type(value) is not str or not _ID.fullmatch(value):
        raise _Doubt
    return value


def _date(value: Any) -> dt.date:
    # a date written as text, with a time, or out of the days olap knows: the model says
    if type(value) is not dt.date or not rules.FIRST_DAY <= value <= rules.LAST_DAY:
        raise _Doubt
    return value


def _opt_date(value: Any) -> dt.date | None:
    return None if value is None else _date(value)


def _opt_bool(value: Any) -> bool | None:
    if value is not None and type(value) is not bool:
        raise _Doubt
    return value


def _email(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str or len(value) > 254 or value.count("@") != 1:
        raise _Doubt
    local, domain = value.split("@")
    labels = domain.split(".")
    if (
        len(local) > 64
        or not _LOCAL.fullmatch(local)
        or len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not labels[-1].isalpha()
        or labels[-1] in _SPECIAL_USE
    ):
        raise _Doubt
    return value


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise _Doubt
    return value


def learner(data: Any) -> Learner | None:
    """The record of a learner file's data (YAML 1.2, as read) when it is certainly valid
    by the model's rules; None when the model must decide."""
    try:
        return _learner(data)
    except _Doubt:
        return None


def _learner(data: Any) -> Learner:
    d = _fields(
        data,
        ("id", "key", "first_name", "last_name", "status"),
        (
            "email", "phone", "contract", "company", "tutor", "trainers", "plan", "needs",
            "evaluations", "meetings", "outcomes", "prospects",
        ),
    )  # fmt: skip
    key = d["key"]
    if type(key) is not str or not _KEY.fullmatch(key):
        raise _Doubt
    if d["status"] not in ("contract", "searching"):
        raise _Doubt
    plan = d.get("plan", {})
    if type(plan) is not dict:
        raise _Doubt
    return Learner(
        _id(d["id"]),
        key,
        _text(d["first_name"]),
        _text(d["last_name"]),
        _email(d.get("email")),
        _opt_str(d.get("phone")),
        d["status"],
        _contract(d["contract"]) if d.get("contract") is not None else None,
        _company(d["company"]) if d.get("company") is not None else None,
        _tutor(d["tutor"]) if d.get("tutor") is not None else None,
        tuple(_id(t) for t in _list(d.get("trainers", []))),
        {_id(a): _plan_entry(e) for a, e in plan.items()},
        tuple(_quick_need(n) for n in _list(d.get("needs", []))),
        tuple(_evaluation(e) for e in _list(d.get("evaluations", []))),
        tuple(_meeting(m) for m in _list(d.get("meetings", []))),
        _outcomes(d["outcomes"]) if "outcomes" in d else Outcomes(*(None,) * 9),
        tuple(_prospect(p) for p in _list(d.get("prospects", []))),
    )


def _contract(data: Any) -> Contract:
    d = _fields(data, ("type", "start"), ("end",))
    if d["type"] not in ("apprentissage", "professionnalisation"):
        raise _Doubt
    return Contract(d["type"], _date(d["start"]), _opt_date(d.get("end")))


def _company(data: Any) -> Company:
    d = _fields(data, ("name",), ("siret", "address", "phone"))
    return Company(
        _text(d["name"]),
        _opt_str(d.get("siret")),
        _opt_str(d.get("address")),
        _opt_str(d.get("phone")),
    )


def _tutor(data: Any) -> Tutor:
    d = _fields(data, ("first_name", "last_name"), ("email", "phone"))
    return Tutor(
        _text(d["first_name"]),
        _text(d["last_name"]),
        _email(d.get("email")),
        _opt_str(d.get("phone")),
    )


def _plan_entry(data: Any) -> PlanEntry:
    d = _fields(data, (), ("ar", "as", "periods"))
    return PlanEntry(
        _opt_bool(d.get("ar")),
        _opt_bool(d.get("as")),
        tuple(_id(p) for p in _list(d.get("periods", []))),
    )


def _quick_need(data: Any) -> Need:
    d = _fields(
        data,
        ("id", "activity", "marked_by", "identified", "due", "detail"),
        ("practice", "company", "resources", "steps", "prospect", "competence", "notes"),
    )
    marked_by = tuple(_list(d["marked_by"]))
    if any(type(a) is not str or a not in rules.ACTORS for a in marked_by):
        raise _Doubt
    if not marked_by or len(set(marked_by)) != len(marked_by):
        raise _Doubt
    steps = d.get("steps")
    return Need(
        _id(d["id"]),
        _id(d["activity"]),
        _id(d.get("practice", rules.DEFAULT_PRACTICE)),
        marked_by,
        _date(d["identified"]),
        _date(d["due"]),
        _plain(d["detail"]),
        _opt_str(d.get("company")),
        tuple(_resource(r) for r in _list(d.get("resources", []))),
        None if steps is None else _steps(steps),
        None if d.get("prospect") is None else _id(d["prospect"]),
        None if d.get("competence") is None else _id(d["competence"]),
        tuple(_note(x) for x in _list(d.get("notes", []))),
    )


def _note(data: Any) -> Note:
    d = _fields(data, ("date", "text"), ())
    return Note(_date(d["date"]), _plain(d["text"]))


def _steps(data: Any) -> Steps:
    d = _fields(data, (), (*MARKS, "advantage"))
    marks: dict[str, Any] = {k: _step(d.get(k)) for k in MARKS}
    return Steps(**marks, advantage=_opt_str(d.get("advantage")))


def _step(value: Any) -> StepMark | None:
    """A step written as a date, or as {date, by, notes}."""
    if value is None:
        return None
    if type(value) is not dict:
        return StepMark(_date(value), None, None)
    d = _fields(value, ("date",), ("by", "notes"))
    by = d.get("by")
    if by is not None and (type(by) is not str or by not in rules.ACTORS):
        raise _Doubt
    return StepMark(_date(d["date"]), by, _opt_str(d.get("notes")))


def _evaluation(data: Any) -> Evaluation:
    d = _fields(data, ("id", "activity", "level", "date", "by"), ("need", "criteria", "comment"))
    if d["level"] not in rules.LEVELS or d["by"] not in rules.ACTORS:
        raise _Doubt
    criteria = d.get("criteria")
    if criteria is not None:
        criteria = tuple(_list(criteria))
        if any(type(c) is not int or c < 1 for c in criteria):
            raise _Doubt
    need = d.get("need")
    return Evaluation(
        _id(d["id"]),
        _id(d["activity"]),
        d["level"],
        _date(d["date"]),
        d["by"],
        None if need is None else _id(need),
        criteria,
        _opt_str(d.get("comment")),
    )


def _meeting(data: Any) -> Meeting:
    d = _fields(data, ("date", "kind", "with"), ("notes",))
    with_ = tuple(_list(d["with"]))
    if d["kind"] not in rules.MEETING_KINDS:
        raise _Doubt
    if any(type(w) is not str or w not in rules.MEETING_WITH for w in with_):
        raise _Doubt
    if not with_ or len(set(with_)) != len(with_):
        raise _Doubt
    return Meeting(_date(d["date"]), d["kind"], with_, _opt_str(d.get("notes")))


def _prospect(data: Any) -> Prospect:
    d = _fields(data, ("id", "company", "first_contact", "stages"), ())
    if not _list(d["stages"]):
        raise _Doubt
    c = _fields(d["company"], ("name",), ("town", "contact", "phone"))
    if d["first_contact"] not in pipeline.FIRST_CONTACT:
        raise _Doubt
    return Prospect(
        _id(d["id"]),
        _text(c["name"]),
        _opt_str(c.get("town")),
        _opt_str(c.get("contact")),
        _opt_str(c.get("phone")),
        d["first_contact"],
        tuple(_stage(g) for g in _list(d["stages"])),
    )


def _stage(data: Any) -> Stage:
    d = _fields(data, ("stage", "date"), ("end", "reason", "notes"))
    if d["stage"] not in pipeline.STAGES:
        raise _Doubt
    return Stage(
        d["stage"],
        _date(d["date"]),
        _opt_date(d.get("end")),
        _opt_str(d.get("reason")),
        _opt_str(d.get("notes")),
    )


def _day_or_false(value: Any) -> dt.date | bool | None:
    return value if value is None or value is False else _date(value)


def _outcomes(data: Any) -> Outcomes:
    d = _fields(
        data,
        (),
        (
            "rupture", "exam", "placement", "absence_hours", "insertion_6m",
            "satisfaction_learner", "satisfaction_company", "dropout", "further_study",
        ),
    )  # fmt: skip
    rupture = _day_or_false(d.get("rupture"))
    exam = d.get("exam")
    if exam not in (None, "passed", "failed"):
        raise _Doubt
    hours = d.get("absence_hours")
    if hours is not None:
        if type(hours) not in (int, float) or not 0 <= hours < _FINITE:
            raise _Doubt
        hours = float(hours)
    satisfactions = [d.get("satisfaction_learner"), d.get("satisfaction_company")]
    for value in satisfactions:
        if value is not None and (type(value) is not int or not 1 <= value <= 5):
            raise _Doubt
    return Outcomes(
        rupture,
        exam,
        _opt_bool(d.get("placement")),
        hours,
        _opt_bool(d.get("insertion_6m")),
        satisfactions[0],
        satisfactions[1],
        _day_or_false(d.get("dropout")),
        _opt_bool(d.get("further_study")),
    )
