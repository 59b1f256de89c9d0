"""Round-trip YAML for writes: one edit changes only the intended lines.

ruamel.yaml's round-trip mode keeps comments, key order and quoting; it is
tuned here so that re-emitting an untouched document gives the same bytes
(indentation detected from the file, no re-wrapping, ``null`` kept as
written). Writes are atomic (temp file, fsync, rename) and made under a repo
lock held from read to write.
"""

from __future__ import annotations

import copy
import io
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.representer import RoundTripRepresenter

from olapcli.core.conflicts import conflict_problem
from olapcli.errors import SUSPECT, Forbidden, Problem, ProblemsError, UserError
from olapcli.i18n import _
from olapcli.io.files import atomic_write, read_text


@dataclass
class Document:
    """A YAML file loaded for editing."""

    path: Path
    rel: str
    text: str
    data: Any
    indent: tuple[int, int, int]
    null: str = "null"


_EOL_COMMENT = re.compile(r"\s+#.*$")


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation used by *text*; default 2, 4, 2."""
    mapping = sequence = offset = None
    lines = text.splitlines()
    for prev, line in itertools.pairwise(lines):
        stripped = _EOL_COMMENT.sub("", prev).rstrip()
        if not stripped.endswith(":") or stripped.lstrip().startswith("#"):
            continue
        parent = len(prev) - len(prev.lstrip(" "))
        child = len(line) - len(line.lstrip(" "))
        body = line.lstrip(" ")
        if body.startswith("- ") and offset is None:
            offset = child - parent
            sequence = offset + 2
        elif body and not body.startswith(("#", "-")) and child > parent and mapping is None:
            mapping = child - parent
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    if offset is None:
        offset, sequence = 2, 4
    return mapping, sequence or offset + 2, offset


_NULL_STYLE = re.compile(r":[ \t]+(~|null|Null|NULL)[ \t]*(?:#.*)?$", re.MULTILINE)


def guess_null(text: str) -> str:
    """How *text* spells null (``null`` unless it uses another spelling)."""
    match = _NULL_STYLE.search(text)
    return match.group(1) if match else "null"


class KeptInt(int):
    """An integer that remembers how it was written (``+12``, ``-0``)."""

    text: str

    def __new__(cls, value: int, text: str) -> KeptInt:
        obj = super().__new__(cls, value)
        obj.text = text
        return obj


class KeptFloat(float):
    """A float that remembers how it was written."""

    text: str

    def __new__(cls, value: float, text: str) -> KeptFloat:
        obj = super().__new__(cls, value)
        obj.text = text
        return obj


class KeptNull:
    """A null that remembers its spelling (``null``, ``~``, nothing); read as None."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, KeptNull)

    def __hash__(self) -> int:
        return hash(None)

    def __repr__(self) -> str:
        return "None"


class _Constructor(RoundTripConstructor):
    """Numbers and nulls that ruamel would re-spell keep their source text."""

    def construct_yaml_null(self, node: Any) -> Any:
        return KeptNull(node.value)

    def construct_yaml_int(self, node: Any) -> Any:
        value = super().construct_yaml_int(node)
        if type(value) is int and str(value) != node.value:
            return KeptInt(value, node.value)
        if node.value.startswith(("-0", "+")) and type(value) is not int:
            return KeptInt(int(value), node.value)  # ScalarInt loses the sign of -0
        return value

    def construct_yaml_float(self, node: Any) -> Any:
        value = super().construct_yaml_float(node)
        if type(value) is float:
            return KeptFloat(value, node.value)
        return value


_Constructor.add_constructor("tag:yaml.org,2002:null", _Constructor.construct_yaml_null)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)


class _Representer(RoundTripRepresenter):
    null_text = "null"

    def represent_none(self, data: Any) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:null", self.null_text)

    def represent_kept_null(self, data: KeptNull) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:null", data.text)

    def represent_kept_int(self, data: KeptInt) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:int", data.text)

    def represent_kept_float(self, data: KeptFloat) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:float", data.text)


_Representer.add_representer(type(None), _Representer.represent_none)
_Representer.add_representer(KeptNull, _Representer.represent_kept_null)
_Representer.add_representer(KeptInt, _Representer.represent_kept_int)
_Representer.add_representer(KeptFloat, _Representer.represent_kept_float)


def make_yaml(indent: tuple[int, int, int] = (2, 4, 2), null: str = "null") -> YAML:
    """A round-trip YAML instance tuned for byte-stable saving."""
    y = YAML(typ="rt")
    y.Representer = _Representer
    y.Constructor = _Constructor
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    y.representer.null_text = null
    return y


def load(path: Path, rel: str) -> Document:
    """Load *path* for editing; refuses bad YAML with file, line and column."""
    text = read_text(path, rel)
    marker = conflict_problem(text, rel)
    if marker is not None:
        raise ProblemsError(_("Cannot read {path}").format(path=rel), [marker])
    try:
        if SUSPECT.search(text):  # most files hold none of & * ! <<: skip importing PyYAML
            from olapcli.io import yamlread as yamlfast

            yamlfast.check_plain(text)
    except Forbidden as exc:
        raise ProblemsError(
            _("Cannot read {path}").format(path=rel), [forbidden_problem(rel, exc)]
        ) from None
    except Exception:
        pass  # syntax errors are reported below, by ruamel
    indent = guess_indent(text)
    try:
        data = make_yaml(indent).load(text)
    except MarkedYAMLError as exc:
        raise ProblemsError(
            _("Cannot read {path}").format(path=rel), [syntax_problem(rel, exc)]
        ) from None
    except ValueError as exc:  # ruamel: an impossible date, without a position
        raise ProblemsError(
            _("Cannot read {path}").format(path=rel), [impossible_date(rel, text, exc)]
        ) from None
    return Document(path, rel, text, data, indent, guess_null(text))


_DATE = re.compile(r"(?<![\w.-])(\d{4})-(\d{2})-(\d{2})(?![\w.-])")


def impossible_date(rel: str, text: str, exc: Exception) -> Problem:
    """Where the first date that does not exist (2025-02-30) is in *text*."""
    import datetime as dt

    for number, line in enumerate(text.splitlines(), 1):
        for match in _DATE.finditer(line.split("#", 1)[0]):
            try:
                dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return Problem(
                    rel,
                    number,
                    match.start() + 1,
                    "error",
                    "invalid-date",
                    _("invalid date « {value} »").format(value=match.group(0)),
                    _("write the date as YYYY-MM-DD, e.g. 2026-03-02"),
                )
    return Problem(rel, None, None, "error", "yaml", str(exc))


def forbidden_problem(rel: str, exc: Forbidden) -> Problem:
    """The problem reported for an anchor, alias, tag or merge key."""
    return Problem(
        rel,
        exc.line,
        exc.col,
        "error",
        "yaml-construct",
        _("anchors, aliases, tags and merge keys (&, *, !, <<) are not allowed in olap files"),
        _("write the value out in full, or put the text in quotes"),
    )


def syntax_problem(rel: str, exc: Any) -> Problem:
    """The problem for a YAML syntax error (ruamel or PyYAML), 1-based."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    what = getattr(exc, "problem", None) or str(exc)
    if "duplicate key" in str(what) or "duplicate key" in str(exc):
        return Problem(
            rel,
            line,
            col,
            "error",
            "duplicate-key",
            _("this key appears twice in the same block"),
            _("keep only one of the two"),
        )
    return Problem(
        rel,
        line,
        col,
        "error",
        "yaml",
        _("invalid YAML: {what}").format(what=what),
        _("check the indentation and the colons on this line and the one before"),
    )


def dump(doc: Document) -> str:
    """The document's text as it would be saved."""
    buf = io.StringIO()
    make_yaml(doc.indent, doc.null).dump(doc.data, buf)
    return buf.getvalue()


def save(doc: Document) -> bool:
    """Save *doc* atomically if its text changed; True when written."""
    text = dump(doc)
    if text == doc.text:
        return False
    atomic_write(doc.path, text)
    doc.text = text
    return True


def new_map(items: dict[str, Any]) -> CommentedMap:
    """A round-trip mapping holding *items* in order."""
    cm = CommentedMap()
    for key, value in items.items():
        cm[key] = value
    return cm


def _last_slot(node: Any) -> tuple[Any, Any, int] | None:
    """Where ruamel keeps the comment that follows *node*'s last scalar."""
    while True:
        if isinstance(node, CommentedMap) and len(node):
            key = list(node.keys())[-1]
            value = node[key]
            if isinstance(value, CommentedMap | CommentedSeq) and len(value):
                node = value
                continue
            return node, key, 2
        if isinstance(node, CommentedSeq) and len(node):
            index = len(node) - 1
            value = node[index]
            if isinstance(value, CommentedMap | CommentedSeq) and len(value):
                node = value
                continue
            return node, index, 0
        return None


def append_item(seq: CommentedSeq, item: Any) -> None:
    """Append *item* to a block sequence, keeping comments where they belong.

    ruamel hangs a full-line comment that precedes the next outer key (e.g.
    ``# Indicateurs…`` above ``outcomes:``) on the last scalar of the last
    item; appended as-is, the new item would land below that comment. Lines
    indented less than the items move to after the new item.
    """
    slot = _last_slot(seq[-1]) if len(seq) else None
    seq.append(item)
    if slot is None:
        return
    container, key, pos = slot
    entry = container.ca.items.get(key)
    token = entry[pos] if entry and len(entry) > pos else None
    if token is None or not isinstance(getattr(token, "value", None), str):
        return
    first, sep, rest = token.value.partition("\n")
    if not rest:
        return
    item_col = getattr(getattr(seq[-2], "lc", None), "col", 0) or 0
    lines = rest.splitlines(keepends=True)
    cut = next(
        (
            i
            for i, line in enumerate(lines)
            if line.strip() and len(line) - len(line.lstrip(" ")) < item_col
        ),
        None,
    )
    if cut is None:
        return
    token.value = first + sep + "".join(lines[:cut])
    target = _last_slot(item)
    if target is None:
        return
    new_container, new_key, new_pos = target
    moved = copy.copy(token)
    moved.value = "\n" + "".join(lines[cut:])
    slots: list[Any] = [None, None, None, None] if new_pos == 2 else [None, None]
    slots[new_pos] = moved
    new_container.ca.items[new_key] = slots


def block_seq(parent: Any, key: str) -> CommentedSeq:
    """``parent[key]`` as a block-style sequence, created if absent."""
    seq = parent.get(key)
    if seq is not None and not isinstance(seq, CommentedSeq | KeptNull):
        raise UserError(
            _("« {key} » is not a list in this file; nothing was written.").format(key=key),
            _("fix the file by hand (olap validate shows where), then try again"),
        )
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        parent[key] = seq
    seq.fa.set_block_style()
    return seq
