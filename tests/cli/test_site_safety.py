"""``olap render`` never reaches outside the site, whatever the cohort repository holds:
a manifest read back from the output folder, a symbolic link committed under resources/
or in a learner's folder, an image in user text, a URL with control characters."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import git

MANIFEST = ".olap-site.json"
LEA = "learners/lea-martin.yaml"


@pytest.fixture
def rendered(olap, cohort_repo, monkeypatch):
    """The sample cohort in Git, its site rendered once into site/ (the default)."""
    monkeypatch.setenv("OLAP_TODAY", "2026-01-07")
    assert olap("-C", cohort_repo, "render").code == 0
    return cohort_repo


def commit_manifest(root, entries):
    """Replace the site's manifest by *entries*, committed as anyone could."""
    (root / "site" / MANIFEST).write_text(
        json.dumps({rel: "" for rel in entries}), encoding="utf-8"
    )
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "site")


# --- the manifest read back ----------------------------------------------------------


def test_hostile_manifest_entries_remove_nothing_outside_the_site(olap, rendered, tmp_path):
    victim = tmp_path / "victim.txt"  # beside the cohort folder
    victim.write_text("not olap's", encoding="utf-8")
    lea = rendered / LEA
    before = lea.read_bytes()
    commit_manifest(
        rendered,
        [
            "../../victim.txt",
            str(victim),
            f"../{LEA}",
            str(lea),
            LEA,
            # of the shape of olap's copied files: the I/O layer stops the « .. »
            "fichiers/resources/files/../../../../victim.txt",
            "fichiers/learners/x/files/../../../../../learners/lea-martin.yaml",
        ],
    )
    result = olap("-C", rendered, "render")
    assert result.code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "not olap's"
    assert lea.read_bytes() == before
    assert "0 supprimé" in result.output


def test_a_link_in_the_site_is_not_followed_to_remove(olap, rendered):
    # site/fichiers/learners/x/files is a link to the learners' folder: the manifest's
    # entry below it names Léa's file
    folder = rendered / "site/fichiers/learners/x"
    folder.mkdir(parents=True)
    os.symlink(rendered / "learners", folder / "files")
    commit_manifest(rendered, ["fichiers/learners/x/files/lea-martin.yaml"])
    before = (rendered / LEA).read_bytes()
    assert olap("-C", rendered, "render").code == 0
    assert (rendered / LEA).read_bytes() == before


def test_a_link_in_the_site_is_not_followed_to_write(refused, rendered):
    # site/alternants, committed as a link to learners/: pages would land among the data
    pages = rendered / "site/alternants"
    for page in pages.iterdir():
        page.unlink()
    pages.rmdir()
    os.symlink("../learners", pages)
    out = refused(rendered, "-C", rendered, "render").stderr
    assert "alternants/" in out and "hors du dossier" in out
    assert not list((rendered / "learners").glob("*.html"))


@pytest.mark.parametrize("where", [".", "learners", "resources", ".git", ".."])
def test_the_site_is_never_written_over_the_data(refused, cohort_repo, where):
    out = refused(cohort_repo, "-C", cohort_repo, "render", "--out", cohort_repo / where).stderr
    assert "données de la cohorte" in out
