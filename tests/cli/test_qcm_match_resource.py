"""``olap qcm``, ``olap match`` and ``olap resource add``."""

from __future__ import annotations

import json

import pytest

from olapcli.io import yamlread as yamlfast
from tests.conftest import SAMPLE, git, snapshot


def test_qcm_text_all_groups(olap):
    result = olap("-C", SAMPLE, "qcm")
    assert result.code == 0
    ref = yamlfast.load((SAMPLE / "referentiel.yaml").read_text(encoding="utf-8"))
    for group in ref["groups"]:
        assert group["question"] in result.stdout
        for act in group["activities"]:
            assert f"{act['id']}  {act['title']}" in result.stdout
            if act.get("choices"):
                assert " / ".join(act["choices"]) in result.stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_qcm_one_group_printable(olap, fmt):
    result = olap("-C", SAMPLE, "qcm", "6", "--format", fmt)
    assert result.code == 0
    assert "Tarte au citron meringuée".lower() in result.stdout.lower()
    assert "Réception et stockage" not in result.stdout
    if fmt == "html":
        assert result.stdout.startswith("<!DOCTYPE html>") and 'lang="fr"' in result.stdout
        assert "@media print" in result.stdout


def test_qcm_unknown_group(refused):
    result = refused(SAMPLE, "-C", SAMPLE, "qcm", "99")
    assert "Groupe inconnu : « 99 »" in result.stderr


def independent_matches():
    """Open needs and A/R peers, computed here from the raw YAML."""
    learners = [
        yamlfast.load(p.read_text(encoding="utf-8"))
        for p in sorted((SAMPLE / "learners").glob("*.yaml"))
    ]
    latest = {}
    for lrn in learners:
        for ev in sorted(lrn.get("evaluations") or [], key=lambda e: (e["date"], e["id"])):
            latest[(lrn["id"], ev["activity"])] = ev
    out = []
    for lrn in sorted(learners, key=lambda x: x["id"]):
        answered = {e.get("need") for e in lrn.get("evaluations") or []}
        for need in sorted(lrn.get("needs") or [], key=lambda n: (n["due"], n["id"])):
            if need["id"] in answered:
                continue
            peers = [
                (other, ev["level"], ev["date"])
                for (other, act), ev in latest.items()
                if act == need["activity"] and other != lrn["id"] and ev["level"] in ("A", "R")
            ]
            peers.sort(key=lambda p: (p[1] != "A", -p[2].toordinal(), p[0]))
            out.append(
                {
                    "learner": lrn["id"],
                    "need": need["id"],
                    "activity": need["activity"],
                    "due": need["due"].isoformat(),
                    "peers": [
                        {"learner": p, "level": lv, "date": d.isoformat()} for p, lv, d in peers
                    ],
                }
            )
    return out


def test_match_json_equals_independent_computation(olap):
    result = olap("-C", SAMPLE, "match", "--format", "json")
    assert result.code == 0
    found = json.loads(result.stdout)
    assert found == independent_matches()
    assert any(m["peers"] for m in found)


def test_match_one_activity_and_table(olap, refused):
    found = json.loads(olap("-C", SAMPLE, "match", "6.3", "--format", "json").stdout)
    assert found and all(m["activity"] == "6.3" for m in found)
    assert [p["level"] for p in found[0]["peers"]] == sorted(
        (p["level"] for p in found[0]["peers"]), key=lambda lv: lv != "A"
    )
    assert olap("-C", SAMPLE, "match").code == 0
    assert "Activité inconnue" in refused(SAMPLE, "-C", SAMPLE, "match", "9.9").stderr


def test_resource_add_link_and_file(olap, cohort_repo, tmp_path):
    doc = tmp_path / "Fiche Crème Anglaise.PDF"
    doc.write_bytes(b"%PDF-1.4 fiche")
    r = olap(
        "-C",
        cohort_repo,
        "resource",
        "add",
        "6.2",
        "--file",
        doc,
        "--title",
        "Fiche crème",
        "--kind",
        "document",
        "--commit",
    )
    assert r.code == 0, r.output
    assert (
        cohort_repo / "resources/files/fiche-creme-anglaise.pdf"
    ).read_bytes() == b"%PDF-1.4 fiche"
    shown = git(cohort_repo, "show", "--name-only", "--format=%s", "HEAD").split()
    assert "resources/6.2.yaml" in shown and "resources/files/fiche-creme-anglaise.pdf" in shown
    # the same file again is not copied twice; another file with that name gets its own
    assert (
        olap("-C", cohort_repo, "resource", "add", "6.3", "--file", doc, "--title", "Encore").code
        == 0
    )
    doc.write_bytes(b"%PDF-1.4 autre")
    assert (
        olap("-C", cohort_repo, "resource", "add", "6.3", "--file", doc, "--title", "Autre").code
        == 0
    )
    assert (cohort_repo / "resources/files/fiche-creme-anglaise-2.pdf").exists()
    r = olap(
        "-C",
        cohort_repo,
        "resource",
        "add",
        "6.3",
        "--url",
        "https://exemple.org/v",
        "--title",
        "Vidéo",
        "--kind",
        "video",
        "--learner",
        "lea-martin",
    )
    assert r.code == 0, r.output
    own = yamlfast.load((cohort_repo / "learners/lea-martin/6.3.yaml").read_text(encoding="utf-8"))
    assert own == {
        "activity": "6.3",
        "resources": [{"title": "Vidéo", "kind": "video", "url": "https://exemple.org/v"}],
    }
    shared = yamlfast.load((cohort_repo / "resources/6.3.yaml").read_text(encoding="utf-8"))
    assert shared["resources"][-2:] == [
        {"title": "Encore", "kind": "other", "file": "fiche-creme-anglaise.pdf"},
        {"title": "Autre", "kind": "other", "file": "fiche-creme-anglaise-2.pdf"},
    ]
    assert olap("-C", cohort_repo, "validate", "--no-cache").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["6.3", "--url", "javascript:alert(1)", "--title", "x"], "n'est pas un lien web"),
        (["6.3", "--url", "data:text/html,<script>", "--title", "x"], "n'est pas un lien web"),
        (["6.3", "--url", "file:///etc/passwd", "--title", "x"], "n'est pas un lien web"),
        (["6.3", "--file", "/nulle/part.pdf", "--title", "x"], "Fichier introuvable"),
        (
            ["6.3", "--url", "https://a.example", "--file", "/etc/hostname", "--title", "x"],
            "soit --url, soit --file",
        ),
        (["6.3", "--url", "https://a.example"], "La ressource a besoin d'un titre"),
        (["9.9", "--url", "https://a.example", "--title", "x"], "Activité inconnue"),
        (
            ["6.3", "--url", "https://a.example", "--title", "x", "--learner", "personne"],
            "Alternant inconnu",
        ),
    ],
)
def test_resource_refusals(refused, cohort_repo, args, message):
    result = refused(cohort_repo, "-C", cohort_repo, "resource", "add", *args)
    assert message in result.stderr


def test_own_resources_are_validated(olap, cohort_dir):
    folder = cohort_dir / "learners/lea-martin"
    folder.mkdir()
    (folder / "6.3.yaml").write_text(
        'activity: "6.3"\nresources:\n  - title: x\n    file: absent.pdf\n', encoding="utf-8"
    )
    ghost = cohort_dir / "learners/fantome"
    ghost.mkdir()
    (ghost / "9.9.yaml").write_text('activity: "9.9"\nresources: []\n', encoding="utf-8")
    before = snapshot(cohort_dir)
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    errors = sorted(
        (p["path"], p["code"]) for p in json.loads(result.stdout) if p["severity"] == "error"
    )
    assert errors == [
        ("learners/fantome/9.9.yaml", "unknown-activity"),
        ("learners/fantome/9.9.yaml", "unknown-learner"),
        ("learners/lea-martin/6.3.yaml", "missing-file"),
    ]
    assert snapshot(cohort_dir) == before
