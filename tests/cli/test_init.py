"""``olap init``: a new cohort repository that validates, in Git, with a first commit."""

from __future__ import annotations

import json

from tests.conftest import git, snapshot


def test_init_blank(olap, tmp_path):
    target = tmp_path / "cap-2026"
    result = olap("init", target)
    assert result.code == 0, result.output
    for rel in (
        "cohort.yaml",
        "referentiel.yaml",
        "subjects.yaml",
        "learners/.gitkeep",
        "resources/files/.gitkeep",
        ".gitignore",
        ".olap/schema/learner.schema.json",
    ):
        assert (target / rel).exists(), rel
    assert (target / "cohort.yaml").read_text().startswith("# yaml-language-server: $schema=")
    assert git(target, "log", "--format=%s").strip() == "Nouvelle cohorte créée par olap"
    assert git(target, "status", "--porcelain") == ""
    assert "site/" in (target / ".gitignore").read_text()
    check = olap("-C", target, "validate", "--format", "json")
    assert check.code == 0
    assert {p["code"] for p in json.loads(check.stdout)} == {"referentiel-shape"}


def test_init_sample(olap, tmp_path):
    target = tmp_path / "exemple"
    assert olap("init", target, "--sample").code == 0
    assert len(list((target / "learners").glob("*.yaml"))) == 14
    assert olap("-C", target, "validate").code == 0


def test_init_refuses_non_empty_folder(olap, tmp_path):
    target = tmp_path / "occupe"
    target.mkdir()
    (target / "notes.txt").write_text("à garder\n")
    before = snapshot(target)
    result = olap("init", target)
    assert result.code == 2
    assert "existe déjà et n'est pas vide" in result.stderr
    assert snapshot(target) == before


def test_init_without_git_identity(olap, tmp_path, monkeypatch):
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "vide.gitconfig"))
    monkeypatch.setenv("EMAIL", "")
    target = tmp_path / "sans-identite"
    result = olap("init", target)
    assert result.code == 0, result.output
    assert "premier commit fait au nom d'« olap »" in result.stderr
    assert git(target, "log", "--format=%an").strip() in ("olap", "Formatrice Test")
