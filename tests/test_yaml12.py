"""One document means the same thing on the fast (read) and round-trip (write) paths."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from olapcli.io import yamlread as yamlfast
from olapcli.io.yamlwrite import plain


def both(text: str):
    return yamlfast.load(text), plain(YAML(typ="rt").load(text))


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [
        ("no", "no"),
        ("on", "on"),
        ("yes", "yes"),
        ("Off", "Off"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("010", 10),
        ("0o10", 8),
        ("0x1F", 31),
        ("1_000", 1000),
        ("+12", 12),
        ("1.10", 1.1),
        ("3.2", 3.2),
        ("1e3", 1000.0),
        ('"3.2"', "3.2"),
        ("'010'", "010"),
        ("2026-03-02", dt.date(2026, 3, 2)),
        ("2026-03-02 10:00:00", dt.datetime(2026, 3, 2, 10, 0)),
        ("~", None),
        ("null", None),
        ("", None),
        ("1:30", "1:30"),
        ("0b101", 5),
    ],
)
def test_tricky_scalars(scalar, expected):
    fast, rt = both(f"v: {scalar}\n")
    assert fast == rt == {"v": expected}
    assert type(fast["v"]) is type(expected) or expected is None


_plain = (
    st.text(alphabet="0123456789-+._:oxeEbTtrufalsnyYNO~ ", min_size=1, max_size=12)
    .map(str.strip)
    .filter(lambda s: s and not s.startswith(("-", ":", "?")) and ": " not in s and " #" not in s)
)


@settings(max_examples=400)
@given(_plain)
def test_any_plain_scalar_means_the_same(scalar):
    text = f"v: {scalar}\n"
    try:
        rt = plain(YAML(typ="rt").load(text))
    except Exception:
        return  # not valid YAML for ruamel: the fast path's verdict is tested elsewhere
    fast = yamlfast.load(text)
    if isinstance(rt["v"], float) and rt["v"] != rt["v"]:  # NaN
        assert fast["v"] != fast["v"]
    else:
        assert fast == rt
        assert type(fast["v"]) is type(rt["v"])


def test_the_copied_resolver_table_is_ruamels():
    import re

    import ruamel.yaml.resolver as ruamel_resolver

    kinds = {"bool", "float", "int", "null", "timestamp"}
    theirs = [
        (tag, regexp.pattern, regexp.flags & re.X, list(first))
        for versions, tag, regexp, first in ruamel_resolver.implicit_resolvers
        if (1, 2) in versions and tag.rsplit(":", 1)[-1] in kinds
    ]
    ours = [(tag, pattern, re.X, first) for tag, pattern, first in yamlfast.RESOLVERS_12]
    assert ours == theirs
