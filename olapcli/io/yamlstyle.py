"""How a YAML file is re-emitted byte for byte: ruamel.yaml's round trip, tuned.

Saving an untouched document must give the same bytes: the indentation is guessed
from the file, lines are never re-wrapped, and each number's and null's spelling is
kept (``+12``, ``-0``, ``~``), which ruamel would otherwise re-spell.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.representer import RoundTripRepresenter

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
