"""Completion (issue 15, point 6): the shell offers the cohort's learner ids, activity
ids, a learner's needs and prospects, practices, competences and trainers — in bash, zsh
and fish, as each shell's script asks olap (Typer's protocol), in a real process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SAMPLE


def ask(shell: str, line: str, cwd: Path = SAMPLE) -> list[str]:
    """What olap answers *shell*'s script for the command *line* (its last word, when
    the line does not end with a space, is the word being completed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMP_", "_TYPER"))}
    env |= {"_OLAP_COMPLETE": f"complete_{shell}", "PYTHONPATH": str(ROOT)}
    if shell == "bash":
        words = line.split()
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - (not line.endswith(" ")))}
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
            env["_TYPER_COMPLETE_WORD_TO_COMPLETE"] = "" if line.endswith(" ") else line.split()[-1]
    done = subprocess.run(
        [sys.executable, "-m", "olapcli"], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return [x for x in done.stdout.splitlines() if x]


def values(shell: str, line: str, cwd: Path = SAMPLE) -> list[str]:
    """The values offered, without the descriptions each shell shows beside them."""
    answer = ask(shell, line, cwd)
    if shell == "zsh":  # _arguments '*: :(("value":"help" "value" …))'
        item = r'"((?:[^"\\]|\\.)*)"(?::"(?:[^"\\]|\\.)*")?'
        return re.findall(item, "\n".join(answer))
    return [x.split("\t", 1)[0] for x in answer]


def sample(rel: str) -> dict:
    return yaml.safe_load((SAMPLE / rel).read_text(encoding="utf-8"))


LEARNERS = sorted(p.stem for p in (SAMPLE / "learners").glob("*.yaml"))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_learner_ids(shell):
    assert values(shell, "olap need add ") == LEARNERS
    assert values(shell, "olap eval add a") == [x for x in LEARNERS if x.startswith("a")]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_activity_ids_with_their_titles(shell):
    ref = sample("referentiel.yaml")
    six = [a for g in ref["groups"] for a in g["activities"] if str(a["id"]).startswith("6.")]
    assert values(shell, "olap need add lea-martin --activity 6.") == [str(a["id"]) for a in six]
    if shell != "bash":  # bash shows no description
        assert six[0]["title"].replace("'", "''") in "\n".join(ask(shell, "olap need add x -a 6."))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_learners_needs_even_after_other_options(shell):
    ids = [n["id"] for n in sample("learners/lea-martin.yaml")["needs"]]
    assert sorted(values(shell, "olap need step lea-martin b")) == sorted(ids)
    # click stops parsing at the dangling --need: the learner is read from the words
    got = values(shell, "olap eval add lea-martin --by entreprise --need b2026")
    assert sorted(got) == sorted(i for i in ids if i.startswith("b2026"))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_practices_competences_prospects_trainers(shell):
    cohort = sample("cohort.yaml")
    assert values(shell, "olap need add lea-martin --practice ") == [
        p["id"] for p in cohort["practices"]
    ]
    theatre = next(p for p in cohort["practices"] if p["id"] == "theatre")
    got = values(shell, "olap need add lea-martin --practice theatre --competence ")
    assert got == [c["id"] for c in theatre["grid"]]
    prospects = [p["id"] for p in sample("learners/kevin-lopez.yaml")["prospects"]]
    assert values(shell, "olap need add kevin-lopez --prospect ") == prospects
    trainers = [t["id"] for t in cohort["trainers"]]
    assert values(shell, "olap learner add x --trainer ") == trainers
    first = trainers[0]
    assert values(shell, f"olap learner add x --trainer {first},") == [
        f"{first},{t}" for t in trainers
    ]


def test_the_cohort_named_by_c_and_none_outside_a_cohort(tmp_path):
    assert values("bash", f"olap -C {SAMPLE} need add ", cwd=tmp_path) == LEARNERS
    assert ask("bash", "olap need add ", cwd=tmp_path) == []  # no cohort: nothing, no error
    assert ask("bash", "olap need step nobody ", cwd=SAMPLE) == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_scripts_to_install(shell):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "olapcli", "--show-completion", shell],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "_OLAP_COMPLETE" in done.stdout, done.stderr
