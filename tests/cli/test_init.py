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


def test_init_writes_merge_setup_and_ci_files(olap, tmp_path):
    import yaml

    target = tmp_path / "cap-2026"
    assert olap("init", target).code == 0
    attributes = (target / ".gitattributes").read_text()
    assert "learners/*.yaml merge=olap" in attributes and "merge=union" not in attributes
    assert "-m olapcli.mergedriver %O %A %B %P" in git(target, "config", "merge.olap.driver")
    assert git(target, "check-attr", "merge", "--", "learners/lea.yaml").strip().endswith("olap")
    assert git(target, "status", "--porcelain") == ""  # committed with the rest
    github = yaml.safe_load((target / ".github/workflows/olap.yml").read_text())
    steps = " ".join(str(s.get("run", "")) for s in github["jobs"]["validate"]["steps"])
    for command in (
        "olap validate --format github",
        "olap render --out site",
        "olap setup",
        "git merge --no-edit",
        "olap notify send",
    ):
        assert command in steps, command
    gitlab = yaml.safe_load((target / ".gitlab-ci.yml").read_text())
    script = " ".join(gitlab["olap"]["script"])
    for command in (
        "olap validate --format gitlab",
        "olap render --out site",
        "olap setup",
        "git merge --no-edit FETCH_HEAD",
    ):
        assert command in script, command
    assert gitlab["olap"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"


def test_validate_gitlab_format_is_a_code_quality_report(olap, cohort_dir):
    result = olap("-C", cohort_dir, "validate", "--format", "gitlab")
    report = json.loads(result.stdout)
    assert report and {"description", "check_name", "fingerprint", "severity", "location"} <= set(
        report[0]
    )
    assert len({r["fingerprint"] for r in report}) == len(report)
