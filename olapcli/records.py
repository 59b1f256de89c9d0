"""Recording needs, evaluations, plans and learners in their YAML files.

Each function holds the repo lock from read to write (and commit), edits the
round-trip document so that only the intended lines change, checks the result
against the model before writing, and writes atomically. If the commit is
refused, the file is put back as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from olapcli.core import ids
from olapcli.errors import ProblemsError, UserError
from olapcli.i18n import _
from olapcli.io import files as fsio
from olapcli.io import yamlwrite as store
from olapcli.io.paths import learner_path
from olapcli.needs import NeedInput, NeedView, finish_write

if TYPE_CHECKING:
    from olapcli.core.model import Evaluation, PlanEntry

SCHEMA_LINE = "# yaml-language-server: $schema=../.olap/schema/{kind}.schema.json\n"
#: ruamel's YAML 1.2 resolver (the fast reader uses the same table; PyYAML is not
#: imported on the write path, it costs ``need add`` ~15 ms).
_RESOLVER: Any = VersionedResolver(version=(1, 2))
#: strings written unquoted; anything else is double-quoted, as in the sample files.
_PLAIN = re.compile(r"^[A-Za-z0-9À-ÿ][A-Za-z0-9À-ÿ._/+-]*$")


def plain(value: Any) -> Any:
    """ruamel round-trip objects as plain Python data."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, store.KeptNull):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def scalar(text: str) -> Any:
    """*text* as a YAML string scalar, double-quoted when plain would read as another type."""
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))
    if "\n" in text:
        return LiteralScalarString(text)  # ruamel writes |- when there is no final newline
    if tag != "tag:yaml.org,2002:str" or not _PLAIN.match(text):
        return DoubleQuotedScalarString(text)
    return text


def flow_list(items: list[Any]) -> CommentedSeq:
    """A short list written on one line: ``[entreprise, alternant]``."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def validate_learner(root: Path, rel: str, data: Any, before: str) -> None:
    """Refuse (exit 2) when the edited learner document does not follow the model."""
    from pydantic import ValidationError

    from olapcli.core.model import Learner
    from olapcli.core.schemaerrors import problems_from
    from olapcli.io.load import locate_in_text

    try:
        Learner.model_validate(plain(data))
    except ValidationError as exc:
        problems = locate_in_text(before, problems_from(rel, exc))
        raise ProblemsError(
            _("{path} has errors; nothing was written. Fix them, then try again.").format(path=rel),
            problems,
        ) from None


@contextlib.contextmanager
def edit_locked(
    root: Path, path: Path, rel: str, commit: str | None, entry_checked: bool
) -> Iterator[store.Document]:
    doc = store.load(path, rel)
    if not isinstance(doc.data, CommentedMap):
        raise UserError(_("{path} is not a learner file (no keys).").format(path=rel))
    before = doc.text
    from olapcli.io.store import Store

    trusted = entry_checked and Store(root).known_valid(before)
    yield doc
    if not trusted:
        validate_learner(root, rel, doc.data, before)
    after = store.dump(doc)
    if after != before:
        finish_write(root, path, rel, before, after, commit)


@contextlib.contextmanager
def editing(
    root: Path, learner_id: str, commit: str | None, entry_checked: bool = False
) -> Iterator[store.Document]:
    """Lock, load the learner's document, yield it, then validate, save and commit.

    *commit* is the commit message, or None for no commit. With
    *entry_checked* (the caller checked what it adds by the model's rules),
    a file whose exact text olap validated before is not validated again.
    """
    if commit is not None:
        from olapcli.io import git

        git.require_repo(root)
    with fsio.repo_lock(root):
        path, rel = learner_path(root, learner_id)
        with edit_locked(root, path, rel, commit, entry_checked) as doc:
            yield doc


def need_map(need_id: str, inp: NeedInput) -> CommentedMap:
    """The YAML mapping of a new need, keys in the documented order."""
    items: dict[str, Any] = {
        "id": need_id,
        "activity": scalar(inp.activity),
        "practice": scalar(inp.practice),
        "marked_by": flow_list(inp.marked_by),
        "identified": inp.identified,
        "due": inp.due,
        "detail": scalar(inp.detail),
    }
    if inp.company:
        items["company"] = scalar(inp.company)
    if inp.resources:
        items["resources"] = CommentedSeq([scalar(r) for r in inp.resources])
    return store.new_map(items)


def ids_in(seq: CommentedSeq) -> set[str]:
    return {str(item.get("id")) for item in seq if isinstance(item, dict)}


def find_need(doc: store.Document, need_id: str) -> tuple[int, CommentedMap]:
    """The need *need_id* (or the one need whose id starts with it)."""
    needs = doc.data.get("needs") or []
    exact = [(i, n) for i, n in enumerate(needs) if isinstance(n, dict) and n.get("id") == need_id]
    found = exact or [
        (i, n)
        for i, n in enumerate(needs)
        if isinstance(n, dict) and str(n.get("id", "")).startswith(need_id)
    ]
    if len(found) != 1:
        known = ", ".join(str(n.get("id")) for n in needs if isinstance(n, dict)) or "—"
        raise UserError(
            _("No need « {id} » for this learner.").format(id=need_id)
            if not found
            else _("« {id} » matches several needs.").format(id=need_id),
            _("needs of this learner: {ids}").format(ids=known),
        )
    index, need = found[0]
    return index, need  # type: ignore[return-value]


def step_need(
    root: Path, learner_id: str, need_id: str, steps: dict[str, Any], commit: bool
) -> NeedView:
    """Record cycle steps (prepared, applied, valorised, advantage) of a need."""
    message = _("Need {need} of {learner}: steps {steps}").format(
        need=need_id, learner=learner_id, steps=", ".join(steps)
    )
    with editing(root, learner_id, message if commit else None) as doc:
        _i, need = find_need(doc, need_id)
        current = need.get("steps")
        if not isinstance(current, CommentedMap):
            current = CommentedMap()
            need["steps"] = current
        for key in ("prepared", "applied", "valorised", "advantage"):
            if key in steps:
                value = steps[key]
                current[key] = scalar(value) if isinstance(value, str) else value
        data = plain(need)
    return NeedView(
        str(data["id"]),
        str(data["activity"]),
        str(data.get("practice", "qualite")),
        list(data.get("marked_by") or []),
        data["identified"],
        data["due"],
        str(data["detail"]),
        data.get("company"),
        list(data.get("resources") or []),
        dict(data.get("steps") or {}),
    )


@dataclass
class EvalInput:
    """An evaluation: A, EC or R on an activity."""

    activity: str
    level: str
    by: str
    date: dt.date
    need: str | None = None
    criteria: list[int] | None = None
    comment: str | None = None


def add_evaluation(root: Path, learner_id: str, inp: EvalInput, commit: bool) -> Evaluation:
    """Record an evaluation; the stored evaluation."""
    message = _("Evaluation of {learner}: {activity} = {level}").format(
        learner=learner_id, activity=inp.activity, level=inp.level
    )
    with editing(root, learner_id, message if commit else None) as doc:
        if inp.need is not None:
            _i, need = find_need(doc, inp.need)
            inp.need = str(need["id"])
            if inp.activity != str(need.get("activity")):
                raise UserError(
                    _("Need {need} is on activity {a}, not {b}.").format(
                        need=inp.need, a=need.get("activity"), b=inp.activity
                    )
                )
        evals = store.block_seq(doc.data, "evaluations")
        taken = ids_in(evals)
        eval_id = ids.record_id("e", inp.date)
        while eval_id in taken:
            eval_id = ids.record_id("e", inp.date)
        items: dict[str, Any] = {
            "id": eval_id,
            "activity": scalar(inp.activity),
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
        entry = store.new_map(items)
        from olapcli.core.model import Evaluation

        result = Evaluation.model_validate(plain(entry))
        store.append_item(evals, entry)
    return result


def set_plan(
    root: Path,
    learner_id: str,
    activity: str,
    ar: bool | None,
    as_: bool | None,
    periods: list[str] | None,
    commit: bool,
) -> PlanEntry:
    """Set AR / AS / planned periods of one activity for one learner."""
    message = _("Plan of {learner}: activity {activity}").format(
        learner=learner_id, activity=activity
    )
    with editing(root, learner_id, message if commit else None) as doc:
        plan = doc.data.get("plan")
        if not isinstance(plan, CommentedMap):
            plan = CommentedMap()
            doc.data["plan"] = plan
        key = scalar(activity)
        entry = plan.get(activity)
        if not isinstance(entry, CommentedMap):
            entry = CommentedMap()
            plan[key] = entry
        if ar is not None:
            entry["ar"] = ar
        if as_ is not None:
            entry["as"] = as_
        if periods is not None:
            entry["periods"] = flow_list(periods)
        from olapcli.core.model import PlanEntry

        result = PlanEntry.model_validate(plain(entry))
    return result


def new_learner_text(fields: dict[str, Any]) -> str:
    """The text of a new learner file, with the schema modeline."""
    import io

    buf = io.StringIO()
    data = store.new_map({})
    for key, value in fields.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, dict):
            value = store.new_map(
                {
                    k: scalar(v) if isinstance(v, str) else v
                    for k, v in value.items()
                    if v is not None
                }
            )
        elif isinstance(value, list):
            value = flow_list(value)
        elif isinstance(value, str):
            value = scalar(value)
        data[key] = value
    store.make_yaml().dump(data, buf)
    return SCHEMA_LINE.format(kind="learner") + buf.getvalue()
