"""Round-trip YAML for writes: one edit changes only the intended lines.

ruamel.yaml's round-trip mode keeps comments, key order and quoting; it is
tuned here so that re-emitting an untouched document gives the same bytes
(indentation detected from the file, no re-wrapping, ``null`` kept as
written). Writes are atomic (temp file, fsync, rename) and made under a repo
lock held from read to write.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from olapcli.core.conflicts import conflict_problem
from olapcli.errors import SUSPECT, Forbidden, ProblemsError, UserError
from olapcli.i18n import _
from olapcli.io.files import atomic_write, read_text
from olapcli.io.yamlproblems import forbidden_problem, reading_problem, with_sources
from olapcli.io.yamlstyle import KeptNull, guess_indent, guess_null, make_yaml


@dataclass
class Document:
    """A YAML file loaded for editing."""

    path: Path
    rel: str
    text: str
    data: Any
    indent: tuple[int, int, int]
    null: str = "null"


def load(path: Path, rel: str) -> Document:
    """Load *path* for editing; refuses bad YAML with file, line and column."""
    text = read_text(path, rel)
    marker = conflict_problem(text, rel)
    if marker is not None:
        raise ProblemsError(_("Cannot read {path}").format(path=rel), with_sources(text, [marker]))
    try:
        if SUSPECT.search(text):  # most files hold none of & * ! <<: skip importing PyYAML
            from olapcli.io import yamlread as yamlfast

            yamlfast.check_plain(text)
    except Forbidden as exc:
        raise ProblemsError(
            _("Cannot read {path}").format(path=rel),
            with_sources(text, [forbidden_problem(rel, exc)]),
        ) from None
    except Exception:
        pass  # syntax errors are reported below, by ruamel
    indent = guess_indent(text)
    try:
        data = make_yaml(indent).load(text)
    except (YAMLError, RecursionError, ValueError) as exc:
        # a syntax error, a control character, nesting too deep, an impossible date or
        # a number too long (ruamel gives these two without a position)
        raise ProblemsError(
            _("Cannot read {path}").format(path=rel),
            with_sources(text, [reading_problem(rel, text, exc)]),
        ) from None
    return Document(path, rel, text, data, indent, guess_null(text))


def dump(doc: Document) -> str:
    """The document's text as it would be saved: with the file's own line ends (a file
    written on Windows keeps CRLF on every line, the new ones too)."""
    buf = io.StringIO()
    make_yaml(doc.indent, doc.null).dump(doc.data, buf)
    text = buf.getvalue()
    if crlf(doc.text):
        # ruamel reads CRLF but writes LF (keeping a CR in comments): one style throughout
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


def crlf(text: str) -> bool:
    """Do most lines of *text* end with CRLF (a file saved on Windows)?"""
    return text.count("\r\n") * 2 > text.count("\n")


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


# --- values as they are written --------------------------------------------------

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
    if isinstance(value, KeptNull):
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


def flow_map(items: dict[str, Any]) -> CommentedMap:
    """A short mapping written on one line: ``{date: 2026-03-02, by: alternant}``."""
    cm = new_map(items)
    cm.fa.set_flow_style()
    return cm


def new_document_text(fields: dict[str, Any], kind: str) -> str:
    """The text of a new file of *kind* (``learner``…), with the schema modeline."""
    buf = io.StringIO()
    data = new_map({})
    for key, value in fields.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, dict):
            value = new_map(
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
    make_yaml().dump(data, buf)
    return SCHEMA_LINE.format(kind=kind) + buf.getvalue()


def is_mapping(value: Any) -> bool:
    """Is *value* a mapping of a round-trip document?"""
    return isinstance(value, CommentedMap)


def child_map(parent: Any, key: str, as_key: Any = None) -> CommentedMap:
    """``parent[key]`` as a mapping, created (under *as_key*, default *key*) if absent
    or not a mapping."""
    found = parent.get(key)
    if not isinstance(found, CommentedMap):
        found = CommentedMap()
        parent[key if as_key is None else as_key] = found
    return found


def block_list(items: list[Any]) -> CommentedSeq:
    """A list written one item per line."""
    return CommentedSeq(items)


def parse(text: str) -> Any:
    """The round-trip data of *text* (comments and layout kept), for copying parts of it
    into another document."""
    return make_yaml(guess_indent(text)).load(text)


def new_document(path: Path, rel: str, text: str) -> Document:
    """A document for a file that does not exist yet, starting from *text*: saving it
    writes the whole file."""
    return Document(path, rel, "", make_yaml().load(text), (2, 4, 2))
