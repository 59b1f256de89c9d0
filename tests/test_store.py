"""The round-trip store: untouched files keep their bytes; edits touch only their lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from olapcli.errors import ProblemsError
from olapcli.io import files as fsio
from olapcli.io import yamlwrite as store
from olapcli.io.yamlstyle import guess_indent
from tests.conftest import SAMPLE

SAMPLE_FILES = sorted(p for p in SAMPLE.rglob("*.yaml") if ".olap" not in p.parts)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p.relative_to(SAMPLE)))
def test_every_sample_file_round_trips_byte_for_byte(path):
    doc = store.load(path, str(path))
    assert store.dump(doc) == path.read_text(encoding="utf-8")


# Scalars a trainer may type, in the quoting styles people use.
_text = st.text(
    # Cf (invisible format characters such as U+FEFF) are re-escaped by ruamel: docs/format.md
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp"),
        exclude_characters="\ufffe\uffff",  # not printable in YAML: refused, as it should
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s != "")


def _double(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _single(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


_scalar = st.one_of(
    _text.map(_double),
    _text.map(_single),
    st.sampled_from(
        [
            "null",
            "~",
            "",
            "Null",
            "true",
            "false",
            "no",
            "on",
            "010",
            "0o10",
            "1.10",
            "3.2",
            "2026-03-02",
            "1_000",
            "0x1F",
            ".inf",
            "1e3",
            "-0",
            "+12",
            "plain text",
        ]
    ),
    st.integers(-(10**6), 10**6).map(str),
)
_comment = st.one_of(st.just(""), _text.map(lambda s: "  # " + s.replace("\n", " ")))
_indent = st.sampled_from([(2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4)])


@st.composite
def documents(draw):
    m, _s, o = draw(_indent)
    lines = ["# en-tête du fichier"]
    for i in range(draw(st.integers(1, 4))):
        lines.append(f"key{i}: {draw(_scalar)}{draw(_comment)}")
    lines.append("items:")
    dash = " " * o + "- "
    inner = " " * (o + 2)
    for i in range(draw(st.integers(1, 3))):
        lines.append(f"{dash}id: n{i}{draw(_comment)}")
        lines.append(f"{inner}value: {draw(_scalar)}")
        if draw(st.booleans()):
            lines.append(f"{inner}tags: [a, b]")
        if draw(st.booleans()):
            lines.append(f"{inner}nested:")
            lines.append(f"{inner}{' ' * m}deep: {draw(_scalar)}")
    lines.append("# commentaire avant la fin")
    lines.append(f"last: {draw(_scalar)}")
    # trailing white space is not kept by ruamel (documented in docs/format.md)
    return "\n".join(line.rstrip() for line in lines) + "\n"


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents())
def test_round_trip_is_byte_identical(tmp_path, text):
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    doc = store.load(path, "doc.yaml")
    assert store.dump(doc) == text


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents(), _text)
def test_appending_an_item_only_adds_lines(tmp_path, text, detail):
    import difflib

    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    doc = store.load(path, "doc.yaml")
    store.append_item(doc.data["items"], store.new_map({"id": "new", "value": detail}))
    after = store.dump(doc)
    changes = [
        line
        for line in difflib.ndiff(text.splitlines(), after.splitlines())
        if line[:2] in ("- ", "+ ")
    ]
    assert all(line.startswith("+ ") for line in changes), changes
    assert len(changes) == 2
    assert after.endswith("# commentaire avant la fin\n" + text.splitlines()[-1] + "\n")


def test_atomic_write_keeps_mode_and_leaves_no_temp(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\n")
    os.chmod(path, 0o640)
    fsio.atomic_write(path, "a: 2\n")
    assert path.read_text() == "a: 2\n"
    assert (path.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]


def test_failed_write_leaves_old_file(tmp_path, monkeypatch):
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\n")

    def boom(*_a, **_k):
        raise OSError("disque plein")

    monkeypatch.setattr(os, "replace", boom)
    # refused with the file named, not raised as a bare OSError (see test_environment.py)
    with pytest.raises(fsio.WriteRefused, match=r"f\.yaml"):
        fsio.atomic_write(path, "a: 2\n")
    assert path.read_text() == "a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]


@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [
        ("a: &x 1\nb: *x\n", "yaml-construct", 1, 4),
        ("a: !!str 010\n", "yaml-construct", 1, 4),
        ("<<: {a: 1}\n", "yaml-construct", 1, 1),
        ("a: 1\na: 2\n", "duplicate-key", 2, 1),
        ("a: [1\n", "yaml", 2, 1),
        ("d: 2025-02-30\n", "invalid-date", 1, 4),
    ],
)
def test_refused_constructs(tmp_path, text, code, line, col):
    path: Path = tmp_path / "f.yaml"
    path.write_text(text)
    with pytest.raises(ProblemsError) as info:
        store.load(path, "f.yaml")
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.col) == (code, line, col)


def test_indent_guess_ignores_colons_in_comments():
    text = 'items:\n  - id: n0  # note :\n    nested:\n        deep: "0"\n'
    assert guess_indent(text) == (4, 4, 2)
