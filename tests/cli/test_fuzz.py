"""Fuzzing, seeded and bounded: the sample cohort's files, mutated at random (a slice
cut, a line doubled or moved, a character YAML cares about inserted, a value replaced
with noise), then read and written by olap. Whatever the bytes, olap answers in one of
its three ways: success, ``validate`` listing problems (exit 1), or a French refusal
(exit 2) that changed no file. Never a traceback, never "Erreur inattendue" (exit 3),
and ``need add`` writes only into a cohort ``validate`` accepts, leaving it accepted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE, need_args, snapshot

#: the files a trainer's hand, a merge or an attacker may change
TARGETS = ["learners/lea-martin.yaml", "cohort.yaml", "referentiel.yaml"]
#: what YAML, terminals and olap's own checks care about ("\udcff": a byte that is
#: not UTF-8)
SPECIAL = [
    *":-\"'[]{}&*!|>#%@`,?\t\n ",
    "\x00", "\x07", "\x1b[31m", "\r", "\u0085", "\u2028", "\ufeff", "é", "\udcff",
    "9" * 400, "1e400", ".nan", "~", "null", "true", "2026-02-30", "<<: *a", "&a ", "!!python/object ",
]  # fmt: skip

#: the read commands run on every mutated cohort (and report, written beside it)
READS = [
    ["learner", "list"],
    ["need", "list"],
    ["log", "lea-martin"],
    ["match"],
    ["metrics"],
    ["qcm"],
    ["notify", "list"],
]

mutation = st.one_of(
    st.tuples(st.just("cut"), st.floats(0, 1), st.integers(1, 200)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.sampled_from(SPECIAL)),
    st.tuples(st.just("noise"), st.floats(0, 1), st.text(max_size=12)),
    st.tuples(st.just("double"), st.floats(0, 1), st.integers(0, 0)),
    st.tuples(st.just("move"), st.floats(0, 1), st.floats(0, 1)),
)


def mutate(text: str, steps: list[tuple[str, float, object]]) -> str:
    for kind, where, what in steps:
        at = int(where * len(text))
        lines = text.split("\n")
        row = min(int(where * len(lines)), len(lines) - 1)
        if kind == "cut":
            text = text[:at] + text[at + int(what) :]  # type: ignore[call-overload]
        elif kind in ("insert", "noise"):
            text = text[:at] + str(what) + text[at:]
        elif kind == "double":
            text = "\n".join([*lines[: row + 1], lines[row], *lines[row + 1 :]])
        else:
            line = lines.pop(row)
            lines.insert(int(float(what) * len(lines)), line)  # type: ignore[arg-type]
            text = "\n".join(lines)
    return text


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "cohorte"
    shutil.copytree(SAMPLE, root)
    return root


def calm(result) -> None:
    assert "Traceback" not in result.output, result.output
    assert result.code != 3, result.output


@settings(
    max_examples=60,
    derandomize=True,  # the same files at every run: a failure is reproduced, not luck
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(TARGETS), steps=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_files_never_crash_olap(olap, cohort, target, steps):
    (cohort / ".olap.lock").unlink(missing_ok=True)
    path = cohort / target
    original = path.read_bytes()
    text = mutate(original.decode("utf-8"), steps)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    try:
        checked = olap("-C", cohort, "validate")
        calm(checked)
        assert checked.code in (0, 1)
        for args in [*READS, ["report", "--out", cohort.parent / "rapport.html"]]:
            calm(olap("-C", cohort, *args))
        before = snapshot(cohort)
        added = olap("-C", cohort, "need", "add", "lea-martin", *need_args())
        calm(added)
        assert added.code in (0, 2), added.output
        if added.code == 2:  # the lock file (ignored by Git) is all a refusal may leave
            assert {k: v for k, v in snapshot(cohort).items() if k != ".olap.lock"} == before
        else:
            assert checked.code == 0, "need add wrote into a cohort validate refuses"
            after = olap("-C", cohort, "validate")
            assert after.code == 0, after.output
    finally:
        path.write_bytes(original)
        # need add may have written Léa's file; the next example starts from the sample
        lea = cohort / TARGETS[0]
        lea.write_bytes((SAMPLE / TARGETS[0]).read_bytes())
