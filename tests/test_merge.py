"""Trainers working in their own clones: real Git, real merges, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from olapcli import mergedriver
from tests.conftest import edit, need_args, run_git

LEA = "learners/lea-martin.yaml"


@pytest.fixture
def clones(olap, cohort_repo, tmp_path):
    """A shared origin and two trainers' clones, both set up with ``olap setup``."""
    origin = tmp_path / "origin.git"
    run_git(tmp_path, "clone", "-q", "--bare", str(cohort_repo), str(origin))
    made = []
    for name in ("anne", "karim"):
        path = tmp_path / name
        run_git(tmp_path, "clone", "-q", str(origin), str(path))
        run_git(path, "config", "pull.rebase", "false")
        made.append(path)
    anne, karim = made
    assert olap("-C", anne, "setup").code == 0
    run_git(anne, "add", ".gitattributes")
    run_git(anne, "commit", "-qm", "olap setup")
    run_git(anne, "push", "-q")
    run_git(karim, "pull", "-q")
    assert olap("-C", karim, "setup").code == 0
    return anne, karim


def add_need(olap, clone: Path, detail: str) -> str:
    result = olap("-C", clone, "need", "add", "lea-martin", *need_args(detail), "--commit")
    assert result.code == 0, result.output
    return next(line.split()[-1] for line in result.output.splitlines() if "b2026" in line)


def needs_of(clone: Path) -> str:
    return (clone / LEA).read_text(encoding="utf-8")


def valid(olap, clone: Path) -> bool:
    result = olap("-C", clone, "validate")
    return result.code == 0 and "0 erreur" in result.output


def test_needs_added_in_two_clones_are_both_kept(olap, clones):
    anne, karim = clones
    add_need(olap, anne, "Crème citron pour 40 parts")
    run_git(anne, "push", "-q")
    add_need(olap, karim, "Pâte sablée pour le banquet")
    merged = run_git(karim, "pull", "--no-edit", check=False)
    assert merged.returncode == 0, merged.stderr
    text = needs_of(karim)
    assert "Crème citron pour 40 parts" in text and "Pâte sablée pour le banquet" in text
    assert "<<<<<<<" not in text
    assert valid(olap, karim)


def test_the_same_through_rebase_and_cherry_pick(olap, clones):
    anne, karim = clones
    add_need(olap, anne, "Crème citron pour 40 parts")
    run_git(anne, "push", "-q")
    add_need(olap, karim, "Pâte sablée pour le banquet")
    rebased = run_git(karim, "pull", "--rebase", check=False)
    assert rebased.returncode == 0, rebased.stderr
    assert "Crème citron" in needs_of(karim) and "Pâte sablée" in needs_of(karim)
    assert valid(olap, karim)
    # cherry-pick: Anne takes one commit of Karim's onto a branch with a need of her own
    run_git(karim, "push", "-q")
    run_git(anne, "fetch", "-q")
    add_need(olap, anne, "Feuilletage pour 60 pièces")
    picked = run_git(anne, "cherry-pick", "origin/main", check=False)
    assert picked.returncode == 0, picked.stderr
    text = needs_of(anne)
    assert "Feuilletage" in text and "Pâte sablée" in text
    assert valid(olap, anne)


def diverge(olap, anne: Path, karim: Path) -> None:
    """One need, shared; then Anne (pushed) and Karim (not yet) change its detail differently."""
    add_need(olap, anne, "Crème citron pour 40 parts")
    run_git(anne, "push", "-q")
    run_git(karim, "pull", "-q", "--no-edit")
    edit(anne / LEA, "Crème citron pour 40 parts", "Crème citron pour 60 parts")
    run_git(anne, "commit", "-qam", "60 parts")
    run_git(anne, "push", "-q")
    edit(karim / LEA, "Crème citron pour 40 parts", "Crème citron pour 45 parts")
    run_git(karim, "commit", "-qam", "45 parts")


def test_one_need_edited_differently_is_a_conflict_with_both_versions(olap, clones):
    anne, karim = clones
    diverge(olap, anne, karim)
    merged = run_git(karim, "pull", "--no-edit", check=False)
    assert merged.returncode != 0  # reported, not silently resolved
    text = needs_of(karim)
    assert "60 parts" in text and "45 parts" in text and "<<<<<<<" in text
    result = olap("-C", karim, "validate")
    assert result.code == 1
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("<<<<<<<"))
    assert f"{LEA}:{line}:1" in result.output and "conflit" in result.output
    # a write command refuses the file too, naming the same line
    step = olap(
        "-C",
        karim,
        "eval",
        "add",
        "lea-martin",
        "--activity",
        "3.1",
        "--level",
        "A",
        "--by",
        "entreprise",
    )
    assert step.code == 2 and f"{LEA}:{line}:1" in step.output


def test_validate_says_how_to_register_the_driver(olap, clones, tmp_path, monkeypatch):
    anne, _karim = clones
    fresh = tmp_path / "fresh"
    run_git(tmp_path, "clone", "-q", str(anne), str(fresh))
    # a CI runner merges nothing by hand: no advice there
    monkeypatch.setenv("CI", "true")
    assert "merge-driver" not in olap("-C", fresh, "validate").output
    monkeypatch.delenv("CI")
    result = olap("-C", fresh, "validate")
    assert "olap setup" in result.output and "merge-driver" in result.output
    assert olap("-C", fresh, "setup").code == 0
    assert "olap setup" not in olap("-C", fresh, "validate").output


def test_sync_pulls_validates_and_pushes(olap, clones, tmp_path):
    anne, karim = clones
    add_need(olap, anne, "Crème citron pour 40 parts")
    assert olap("-C", anne, "sync").code == 0
    add_need(olap, karim, "Pâte sablée pour le banquet")
    result = olap("-C", karim, "sync")
    assert result.code == 0, result.output
    check = tmp_path / "check"
    run_git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(check))
    assert "Crème citron" in needs_of(check) and "Pâte sablée" in needs_of(check)


def test_sync_stops_on_a_conflict_and_pushes_nothing(olap, clones):
    anne, karim = clones
    diverge(olap, anne, karim)
    before = run_git(karim, "ls-remote", "origin", "main").stdout
    result = olap("-C", karim, "sync")
    assert result.code == 1 and "Conflit" in result.output and LEA in result.output
    assert run_git(karim, "ls-remote", "origin", "main").stdout == before


def test_sync_refuses_uncommitted_changes(olap, clones, refused):
    anne, _karim = clones
    (anne / LEA).write_text(needs_of(anne) + "# note\n", encoding="utf-8")
    refused(anne, "-C", anne, "sync")


# --- the semantic merge itself ------------------------------------------------

BASE = """\
id: x
first_name: "Léa"  # as on the contract
needs:
  - id: n1
    activity: "3.1"
    detail: "base"
    due: 2026-11-25
evaluations: []
"""


def merge(tmp_path: Path, ours: str, theirs: str, base: str = BASE) -> tuple[int, str]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    code = mergedriver.main([str(p) for p in paths] + ["learners/x.yaml"])
    return code, paths[1].read_text(encoding="utf-8")


def test_edits_of_different_fields_of_one_need_are_both_kept(tmp_path):
    code, text = merge(
        tmp_path,
        BASE.replace("due: 2026-11-25", "due: 2026-11-27"),
        BASE.replace('detail: "base"', 'detail: "theirs"'),
    )
    assert code == 0
    assert "due: 2026-11-27" in text and 'detail: "theirs"' in text
    assert "# as on the contract" in text  # ours's comments stay


def test_an_edit_against_a_deletion_is_a_conflict(tmp_path):
    deleted = BASE.split("  - id: n1")[0] + "evaluations: []\n"
    deleted = deleted.replace("needs:\n", "needs: []\n")
    code, text = merge(tmp_path, deleted, BASE.replace('detail: "base"', 'detail: "changed"'))
    assert code == 1 and "<<<<<<<" in text and "changed" in text


def test_a_deletion_alone_is_applied_and_additions_of_both_are_kept(tmp_path):
    added = BASE.replace(
        "evaluations: []",
        'evaluations:\n  - id: e1\n    activity: "3.1"\n    level: A\n    date: 2026-11-26\n    by: entreprise',
    )
    ours = added.replace('first_name: "Léa"', 'first_name: "Léa-Marie"')
    theirs = BASE.replace(
        "evaluations: []",
        'evaluations:\n  - id: e2\n    activity: "3.1"\n    level: EC\n    date: 2026-11-27\n    by: formateur',
    )
    code, text = merge(tmp_path, ours, theirs)
    assert code == 0, text
    assert "id: e1" in text and "id: e2" in text and "Léa-Marie" in text


def test_a_side_that_does_not_parse_falls_back_to_the_text_merge(tmp_path):
    code, text = merge(tmp_path, BASE + "  - : [\n", BASE.replace("base", "theirs"))
    assert code == 1 or "theirs" in text


def test_log_tells_who_recorded_what_across_a_merge(olap, clones):
    anne, karim = clones
    add_need(olap, anne, "Crème citron pour 40 parts")
    run_git(anne, "push", "-q")
    run_git(karim, "config", "user.name", "Karim Messaoudi")
    add_need(olap, karim, "Pâte sablée pour le banquet")
    assert run_git(karim, "pull", "--no-edit", check=False).returncode == 0
    out = olap("-C", karim, "log", "lea-martin").output
    assert out.count("Crème citron pour 40 parts") == 1  # once, not again in the merge
    assert out.count("Pâte sablée pour le banquet") == 1


def test_needs_appended_on_both_sides_keep_their_own_lines(tmp_path):
    def with_need(text: str, need_id: str, detail: str) -> str:
        return text.replace(
            "evaluations: []",
            f'  - id: {need_id}  # noted by phone\n    activity: "3.1"\n    detail: "{detail}"\n'
            "    due: 2026-11-28\nevaluations: []",
        )

    code, text = merge(tmp_path, with_need(BASE, "n2", "ours"), with_need(BASE, "n3", "theirs"))
    assert code == 0
    assert text.count("# noted by phone") == 2  # theirs's need came with its comment
    assert text.index("id: n2") < text.index("id: n3")
    assert "# as on the contract" in text


@pytest.mark.parametrize("how", [("rebase", "@{u}"), ("cherry-pick", "@{u}")])
def test_a_conflict_through_rebase_and_cherry_pick_keeps_both_versions(olap, clones, how):
    anne, karim = clones
    diverge(olap, anne, karim)
    run_git(karim, "fetch", "-q")
    done = run_git(karim, *how, check=False)
    assert done.returncode != 0
    text = needs_of(karim)
    assert "60 parts" in text and "45 parts" in text and "<<<<<<<" in text
    assert olap("-C", karim, "validate").code == 1


def test_sync_pushes_nothing_when_the_merged_cohort_has_errors(olap, clones):
    anne, karim = clones
    edit(anne / LEA, "status: contract", "status: contrat")
    run_git(anne, "commit", "-qam", "une faute")
    run_git(anne, "push", "-q")
    add_need(olap, karim, "Pâte sablée pour le banquet")
    before = run_git(karim, "ls-remote", "origin").stdout
    result = olap("-C", karim, "sync")
    assert result.code == 1 and "rien n'a été poussé" in result.output
    assert LEA in result.output
    assert run_git(karim, "ls-remote", "origin").stdout == before


def test_sync_waits_for_a_write_in_progress(olap, clones, tmp_path):
    """olap sync rebases under the write lock: a write in progress (olap serve posting a
    need, a trainer's need add) finishes before the rebase starts, never in its middle."""
    import subprocess
    import sys
    import time

    from olapcli.io.files import lock_path, repo_lock

    anne, karim = clones
    add_need(olap, anne, "Crème citron pour 40 parts")
    assert olap("-C", anne, "sync").code == 0
    add_need(olap, karim, "Pâte sablée pour le banquet")
    before = run_git(karim, "rev-parse", "HEAD").stdout
    with repo_lock(karim):  # a write in progress
        assert lock_path(karim).exists()
        sync = subprocess.Popen(
            [sys.executable, "-m", "olapcli", "-C", str(karim), "sync"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)
        assert sync.poll() is None, sync.communicate()  # waiting for the lock
        assert run_git(karim, "rev-parse", "HEAD").stdout == before  # nothing rebased yet
    out, err = sync.communicate(timeout=60)
    assert sync.returncode == 0, out + err
    assert "Crème citron" in needs_of(karim) and "Pâte sablée" in needs_of(karim)
