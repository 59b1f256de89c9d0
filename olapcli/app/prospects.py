"""The contract search (Annexe 2): the companies a learner, or the centre's CRE, approaches,
and the stages each goes through, from the first call to a contract (core/pipeline.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olapcli.core import pipeline
from olapcli.core.pipeline import stage_label
from olapcli.errors import UserError
from olapcli.i18n import _

__all__ = ["add_prospect", "add_stage", "list_prospects", "stage_label"]

#: what people type for a stage, besides its own id
STAGE_ALIASES: dict[str, str] = {
    "appel": pipeline.FIRST_CALL,
    "premier-appel": pipeline.FIRST_CALL,
    "stage-proposé": pipeline.INTERNSHIP_PROPOSED,
    "contrat-proposé": pipeline.CONTRACT_PROPOSED,
    "contrat-signé": pipeline.SIGNED,
    "contrat": pipeline.SIGNED,
    "abandonné": pipeline.DROPPED,
    # the stages' English words (olap --lang en shows them)
    "first-call": pipeline.FIRST_CALL,
    "call-back": pipeline.CALL_BACK,
    "call-back-after-preparation": pipeline.CALL_BACK,
    "visit": pipeline.VISIT,
    "internship-proposed": pipeline.INTERNSHIP_PROPOSED,
    "internship": pipeline.INTERNSHIP,
    "contract-proposed": pipeline.CONTRACT_PROPOSED,
    "contract-signed": pipeline.SIGNED,
    "dropped": pipeline.DROPPED,
}


@dataclass
class ProspectInput:
    """A company approached, as typed, with the day of the first call."""

    name: str
    first_contact: str
    date: dt.date
    town: str | None = None
    contact: str | None = None
    phone: str | None = None
    notes: str | None = None


@dataclass
class StageInput:
    """A stage reached, as typed."""

    stage: str
    date: dt.date
    end: dt.date | None = None
    reason: str | None = None
    notes: str | None = None


@dataclass
class ProspectRow:
    """A prospect as listed: where it stands and what it gave."""

    learner: str
    id: str
    name: str
    town: str | None
    first_contact: str
    stage: str | None
    since: dt.date | None
    needs: int
    stages: list[tuple[str, dt.date, dt.date | None, str | None]] = field(default_factory=list)


def stage_id(typed: str) -> str:
    """The stage's id for what was typed; refused (exit 2) when unknown."""
    key = typed.strip().lower().replace(" ", "-")
    key = STAGE_ALIASES.get(key, key)
    if key not in pipeline.STAGES:
        raise UserError(
            _("Unknown stage « {value} ».").format(value=typed),
            _("stages: {stages}").format(stages=", ".join(pipeline.STAGES)),
        )
    return key


def _who(typed: str) -> str:
    who = typed.strip().lower()
    if who not in pipeline.FIRST_CONTACT:
        raise UserError(
            _("Unknown first contact « {value} ».").format(value=typed),
            _("--by takes alternant (the learner) or cre (the centre's company relations)"),
        )
    return who


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _not_to_come(day: dt.date) -> None:
    """Refused (exit 2): a stage is recorded once it happened."""
    from olapcli.io.clock import today

    if day > today():
        raise UserError(
            _("{date} is a day still to come: a stage is recorded once it happened.").format(
                date=day
            )
        )


def add_prospect(
    root: Path,
    learner_id: str,
    inp: ProspectInput,
    commit: bool = False,
    author: str | None = None,
    via: str = "",
) -> str:
    """Add a prospect with its first call to the learner's file; its id. *author* signs
    the commit, *via* ends its message (« via olap serve »)."""
    from olapcli.app.edit import editing
    from olapcli.core.ids import slug, unique_slug
    from olapcli.io.paths import learner_path
    from olapcli.io.yamlwrite import append_item, block_list, block_seq, new_map, scalar

    learner_path(root, learner_id)  # an unknown learner is refused before anything
    name = _text(inp.name)
    if name is None:
        raise UserError(
            _("The prospect cannot be recorded: missing {fields}.").format(fields="--name")
        )
    who = _who(inp.first_contact)
    _not_to_come(inp.date)
    message = _("Prospect {name} for {learner}").format(name=name, learner=learner_id)
    message += f" ({via})" if via else ""
    if not any(ch.isalnum() for ch in name):
        raise UserError(
            _("« {name} » is not a company's name: it has no letter nor digit.").format(name=name)
        )
    with editing(root, learner_id, message if commit else None, author=author) as doc:
        seq = block_seq(doc.data, "prospects")
        taken = {str(p.get("id")) for p in seq if isinstance(p, dict)}
        same = [
            p
            for p in seq
            if isinstance(p, dict)
            and slug(str((p.get("company") or {}).get("name", ""))) == slug(name)
            and not _closed(p)
        ]
        if same:
            raise UserError(
                _("{name} is already a prospect of this learner: {id}.").format(
                    name=name, id=same[0].get("id")
                ),
                _("record its next stage: olap prospect step {learner} {id} …").format(
                    learner=learner_id, id=same[0].get("id")
                ),
            )
        pid = unique_slug("p-" + slug(name), taken)
        company: dict[str, Any] = {"name": scalar(name)}
        for key, value in (("town", inp.town), ("contact", inp.contact), ("phone", inp.phone)):
            if _text(value):
                company[key] = scalar(_text(value) or "")
        first: dict[str, Any] = {"stage": pipeline.FIRST_CALL, "date": inp.date}
        if _text(inp.notes):
            first["notes"] = scalar(_text(inp.notes) or "")
        entry = new_map(
            {
                "id": pid,
                "company": new_map(company),
                "first_contact": who,
                "stages": block_list([new_map(first)]),
            }
        )
        append_item(seq, entry)
    return pid


def _closed(prospect: dict[str, Any]) -> bool:
    """Is the prospect (as read from the file) closed: signed or dropped?"""
    stages = [st for st in prospect.get("stages") or [] if isinstance(st, dict)]
    return bool(stages) and stages[-1].get("stage") in pipeline.FINAL


def add_stage(
    root: Path,
    learner_id: str,
    prospect_id: str,
    inp: StageInput,
    commit: bool = False,
    author: str | None = None,
    via: str = "",
) -> str:
    """Add a stage to a prospect of the learner's file; refused (exit 2, nothing written)
    when it cannot follow the stages before it (core/pipeline.py). The stage's id."""
    from olapcli.app.edit import editing
    from olapcli.core.records import Stage
    from olapcli.io.paths import learner_path
    from olapcli.io.yamlwrite import append_item, block_seq, new_map, plain, scalar

    learner_path(root, learner_id)
    stage = stage_id(inp.stage)
    _not_to_come(inp.date)
    message = _("Prospect {id} of {learner}: {stage} on {date}").format(
        id=prospect_id, learner=learner_id, stage=stage, date=inp.date
    ) + (f" ({via})" if via else "")
    with editing(root, learner_id, message if commit else None, author=author) as doc:
        found = [
            p
            for p in doc.data.get("prospects") or []
            if isinstance(p, dict) and str(p.get("id")) == prospect_id
        ]
        if len(found) != 1:
            known = [
                str(p.get("id")) for p in doc.data.get("prospects") or [] if isinstance(p, dict)
            ]
            raise UserError(
                _("No prospect « {id} » for this learner.").format(id=prospect_id),
                _("prospects of this learner: {ids}").format(ids=", ".join(known) or "—"),
            )
        seq = block_seq(found[0], "stages")
        before = [
            Stage(s["stage"], s["date"], s.get("end"), s.get("reason"), s.get("notes"))
            for s in (plain(x) for x in seq)
        ]
        fault = pipeline.stage_fault(before, stage, inp.date, inp.end, _text(inp.reason))
        if fault is not None:
            raise UserError(
                _("The stage cannot be recorded: {why}.").format(why=fault[1]),
                _("olap prospect list {learner} shows each prospect's stages").format(
                    learner=learner_id
                ),
            )
        items: dict[str, Any] = {"stage": stage, "date": inp.date}
        if inp.end is not None:
            items["end"] = inp.end
        for key, value in (("reason", inp.reason), ("notes", inp.notes)):
            if _text(value):
                items[key] = scalar(_text(value) or "")
        append_item(seq, new_map(items))
    return stage


def list_prospects(root: Path, learner_id: str | None = None) -> list[ProspectRow]:
    """Every prospect of the cohort (or of one learner), where it stands; refused when a
    learner file has errors."""
    from olapcli.io.load import valid_learners

    rows = []
    for _rel, lrn in valid_learners(root, learner_id):
        for p in lrn.prospects:
            last = pipeline.current(p.stages)
            rows.append(
                ProspectRow(
                    lrn.id,
                    p.id,
                    p.company.name,
                    p.company.town,
                    p.first_contact,
                    last.stage if last else None,
                    last.date if last else None,
                    sum(n.prospect == p.id for n in lrn.needs),
                    [(s.stage, s.date, s.end, s.reason) for s in p.stages],
                )
            )
    return rows
