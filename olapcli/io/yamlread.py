"""Fast, read-only YAML 1.2 loading for commands that do not write.

PyYAML's C parser is several times faster than ruamel's round-trip loader,
but resolves plain scalars by YAML 1.1 rules (``no`` is false, ``010`` is 8).
The resolver here is built from ruamel.yaml's own YAML 1.2 table, so a file
means the same thing on the fast path and on the round-trip (write) path; a
property test holds the two together. Positions are recovered only for files
that have a problem, by composing their node tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml
import yaml.cyaml
from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]

from olapcli.errors import SUSPECT, Forbidden, Loc


class Resolver12(yaml.resolver.BaseResolver):
    """Implicit scalar resolution of YAML 1.2, as ruamel.yaml does it."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 (PyYAML's own class table)


#: ruamel.yaml's YAML 1.2 implicit resolvers, copied so that reading does not import
#: ruamel (~30 ms); tests/test_yaml12.py fails if ruamel's table ever differs.
RESOLVERS_12: list[tuple[str, str, list[str]]] = [
    ("tag:yaml.org,2002:bool", "^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (
        "tag:yaml.org,2002:float",
        "^(?:\n         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?\n"
        "        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)\n"
        "        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?\n"
        "        |[-+]?\\.(?:inf|Inf|INF)\n"
        "        |\\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
    (
        "tag:yaml.org,2002:int",
        "^(?:[-+]?0b[0-1_]+\n        |[-+]?0o?[0-7_]+\n        |[-+]?[0-9_]+\n"
        "        |[-+]?0x[0-9a-fA-F_]+)$",
        list("-+0123456789"),
    ),
    (
        "tag:yaml.org,2002:null",
        "^(?: ~\n        |null|Null|NULL\n        | )$",
        ["~", "n", "N", ""],
    ),
    (
        "tag:yaml.org,2002:timestamp",
        "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\n"
        "        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?\n"
        "        (?:[Tt]|[ \\t]+)[0-9][0-9]?\n"
        "        :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?\n"
        "        (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        list("0123456789"),
    ),
]
for _tag, _pattern, _first in RESOLVERS_12:
    Resolver12.add_implicit_resolver(_tag, re.compile(_pattern, re.X), _first)


class DuplicateKey(yaml.constructor.ConstructorError):
    """A key present twice in one mapping (ruamel refuses it too)."""


class TooLong(yaml.constructor.ConstructorError):
    """A number with more digits than any olap value (Python refuses to read an integer
    of over 4,300 digits, and reading one of a million takes seconds)."""


#: the most digits an integer may have: a count of hours or a year needs far fewer
MAX_DIGITS = 100


class Constructor12(yaml.constructor.SafeConstructor):
    """SafeConstructor with YAML 1.2 integers, no endless numbers, and duplicate keys
    refused."""

    def construct_yaml_int(self, node: Any) -> int:
        value = str(self.construct_scalar(node)).replace("_", "")
        if len(value) > MAX_DIGITS:
            raise TooLong(None, None, f"{len(value)} digits", node.start_mark)
        sign = 1
        if value[:1] in "+-":
            sign = -1 if value[0] == "-" else 1
            value = value[1:]
        if value.startswith("0b"):
            return sign * int(value[2:], 2)
        if value.startswith("0x"):
            return sign * int(value[2:], 16)
        if value.startswith("0o"):
            return sign * int(value[2:], 8)
        return sign * int(value)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        """A date; an impossible one (2025-13-29) stays text, for the schema to report."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return str(self.construct_scalar(node))

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        """Each key constructed once; a repeated key is refused, as ruamel does.

        Merge keys (``<<``) never reach here: :func:`check_plain` refuses them.
        """
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark
            )
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in mapping
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                ) from None
            if duplicate:
                raise DuplicateKey(
                    "while constructing a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_add: Any = Constructor12.add_constructor
_add("tag:yaml.org,2002:int", Constructor12.construct_yaml_int)
_add("tag:yaml.org,2002:timestamp", Constructor12.construct_yaml_timestamp)


class FastLoader(_CParser, Constructor12, Resolver12):
    """C parser + YAML 1.2 resolver + safe constructor."""

    def __init__(self, stream: str) -> None:
        _CParser.__init__(self, stream)
        Constructor12.__init__(self)
        Resolver12.__init__(self)


class ComposeLoader(_CParser, Resolver12):
    """Builds the node tree (with positions) without constructing values."""

    def __init__(self, stream: str) -> None:
        _CParser.__init__(self, stream)
        Resolver12.__init__(self)


_yaml: Any = yaml  # PyYAML's stubs do not know loaders built on the C parser


def check_plain(text: str) -> None:
    """Refuse anchors, aliases, explicit tags and merge keys.

    Only files holding one of ``& * ! <<`` are scanned event by event, so the
    common case costs one regex search.
    """
    if not SUSPECT.search(text):
        return
    events: Any = _yaml.parse(text, Loader=ComposeLoader)
    for event in events:
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise Forbidden("alias", mark.line + 1, mark.column + 1)
        anchor = getattr(event, "anchor", None)
        if anchor:
            raise Forbidden("anchor", mark.line + 1, mark.column + 1)
        tag = getattr(event, "tag", None)
        if isinstance(event, yaml.ScalarEvent):
            if tag and not event.implicit[0] and not event.implicit[1]:
                raise Forbidden("tag", mark.line + 1, mark.column + 1)
            if event.value == "<<" and not event.style:
                raise Forbidden("merge", mark.line + 1, mark.column + 1)
        elif tag and isinstance(event, yaml.CollectionStartEvent) and not event.implicit:
            raise Forbidden("tag", mark.line + 1, mark.column + 1)


def load(text: str) -> Any:
    """Plain Python data of one YAML document (YAML 1.2 meaning).

    Raises ``yaml.YAMLError`` (with marks) or :class:`Forbidden`.
    """
    check_plain(text)
    loader = FastLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load_node(text: str) -> tuple[Any, Any]:
    """Like :func:`load`, with the document's node tree too: the positions of its parts,
    for :func:`positions_in`, without parsing the text a second time."""
    check_plain(text)
    loader = FastLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def positions(
    text: str, locs: Iterable[Loc], keys: frozenset[Loc] = frozenset()
) -> dict[Loc, tuple[int, int]]:
    """1-based (line, column) of each key path in *text* (see :func:`positions_in`)."""
    try:
        root: Any = _yaml.compose(text, Loader=ComposeLoader)
    except yaml.YAMLError:
        return {}
    return positions_in(root, locs, keys)


def positions_in(
    root: Any, locs: Iterable[Loc], keys: frozenset[Loc] = frozenset()
) -> dict[Loc, tuple[int, int]]:
    """1-based (line, column) of each key path in the node tree *root*.

    A path points at its value, or at the key itself when it is in *keys*
    (an unknown key). A path that stops existing part-way points at the
    deepest node found, so a missing key points at the mapping that lacks it.
    """
    out: dict[Loc, tuple[int, int]] = {}
    for loc in locs:
        node: Any = root
        mark: Any = root.start_mark if root is not None else None
        on_key = False
        for part in loc:
            if node is None:
                break
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(part):
                        nxt, key_mark = value_node, key_node.start_mark
                        break
                if nxt is None:
                    on_key = False
                    break
                mark = key_mark
                on_key = True
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    nxt = node.value[part]
                    on_key = False
                else:
                    break
            else:
                break
            node = nxt
            if not on_key and node is not None:
                mark = node.start_mark
        if (
            node is not None
            and on_key
            and loc not in keys
            and not isinstance(node, yaml.MappingNode | yaml.SequenceNode)
        ):
            mark = node.start_mark  # a scalar value: point at the value itself
        if mark is not None:
            out[loc] = (mark.line + 1, mark.column + 1)
    return out


def mapping(text: str | None) -> dict[str, Any] | None:
    """The mapping a YAML text holds, read leniently (history, merges): None for no text,
    an empty mapping for a text that cannot be read or is not a mapping."""
    if text is None:
        return None
    try:
        data = load(text)
    except Exception:  # any bad text: nothing can be said of it
        return {}
    return data if isinstance(data, dict) else {}
