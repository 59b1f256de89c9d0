"""``olap render`` never reaches outside the site, whatever the cohort repository holds:
a manifest read back from the output folder, a symbolic link committed under resources/
or in a learner's folder, an image in user text, a URL with control characters."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from tests.conftest import edit, git, need_args

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


# --- symbolic links committed in the cohort ---------------------------------------------

SECRET = "SECRET-CANARY-7f3a"


def _site_text(folder):
    return "".join(
        p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file()
    )


def _link_file(root, tmp_path):
    """resources/files/env, a link to a file outside the cohort, named by 6.3's resources."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (root / "resources/files").mkdir(parents=True, exist_ok=True)
    os.symlink(secret, root / "resources/files/env")
    os.symlink("/proc/self/environ", root / "resources/files/environ")
    with (root / "resources/6.3.yaml").open("a", encoding="utf-8") as f:
        f.write("  - title: env\n    file: env\n  - title: environ\n    file: environ\n")
    return ["resources/files/env", "resources/files/environ"]


def _link_dir(root, tmp_path):
    """learners/lea-martin/files/docs, a link to a folder outside the cohort, named by one
    of Léa's own resources."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.txt").write_text(SECRET, encoding="utf-8")
    (root / "learners/lea-martin/files").mkdir(parents=True)
    os.symlink(outside, root / "learners/lea-martin/files/docs")
    (root / "learners/lea-martin/6.3.yaml").write_text(
        'activity: "6.3"\nresources:\n  - title: notes\n    file: docs/notes.txt\n',
        encoding="utf-8",
    )
    return ["learners/lea-martin/files/docs"]


def _link_learner_file(root, tmp_path):
    """learners/lea-martin/6.3.yaml itself a link to a file outside the cohort."""
    outside = tmp_path / "res.yaml"
    outside.write_text(
        f'activity: "6.3"\nresources:\n  - title: "{SECRET}"\n    url: "https://x.example"\n',
        encoding="utf-8",
    )
    (root / "learners/lea-martin").mkdir(parents=True)
    os.symlink(outside, root / "learners/lea-martin/6.3.yaml")
    return ["learners/lea-martin/6.3.yaml"]


def _link_resources_dir(root, tmp_path):
    """resources/files itself a link to a folder outside the cohort."""
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "a.txt").write_text(SECRET, encoding="utf-8")
    shutil.rmtree(root / "resources/files")
    os.symlink(outside, root / "resources/files")
    with (root / "resources/6.3.yaml").open("a", encoding="utf-8") as f:
        f.write("  - title: a\n    file: a.txt\n")
    return ["resources/files"]


LINKS = {
    "to a file, under resources/": _link_file,
    "to a folder, in a learner's folder": _link_dir,
    "a learner's own resource file": _link_learner_file,
    "resources/files itself": _link_resources_dir,
}


@pytest.mark.parametrize("make", LINKS.values(), ids=LINKS.keys())
def test_a_committed_link_is_an_error_and_never_published(
    olap, refused, cohort_repo, tmp_path, monkeypatch, make
):
    monkeypatch.setenv("OLAP_TODAY", "2026-11-21")  # after the sample's last need
    # validate's cache is made before the link appears: the link must change its keys
    assert olap("-C", cohort_repo, "validate").code == 0
    assert olap("-C", cohort_repo, "render").code == 0
    links = make(cohort_repo, tmp_path)
    git(cohort_repo, "add", "-A")
    git(cohort_repo, "commit", "-q", "-m", "liens")
    result = olap("-C", cohort_repo, "validate")
    assert result.code == 1, result.output
    for rel in links:
        assert f"{rel}: erreur [symbolic-link]" in result.stdout, result.stdout
    data = json.loads(olap("-C", cohort_repo, "validate", "--format", "json").stdout)
    assert {(p["path"], p["code"]) for p in data if p["code"] == "symbolic-link"} == {
        (rel, "symbolic-link") for rel in links
    }
    out = refused(cohort_repo, "-C", cohort_repo, "render").stderr
    assert "symbolic-link" in out
    assert SECRET not in _site_text(cohort_repo / "site")
    assert "PATH=" not in _site_text(cohort_repo / "site")
    # the link gone, validate's cache does not remember it
    for rel in links:
        (cohort_repo / rel).unlink()
    assert "symbolic-link" not in olap("-C", cohort_repo, "validate").stdout


def test_a_learner_file_that_is_a_link_is_not_read(olap, refused, cohort_repo, tmp_path):
    outside = tmp_path / "x.yaml"
    outside.write_bytes((cohort_repo / LEA).read_bytes().replace(b"lea-martin", b"evil"))
    os.symlink(outside, cohort_repo / "learners/evil.yaml")
    result = olap("-C", cohort_repo, "validate")
    assert result.code == 1
    assert "learners/evil.yaml: erreur [symbolic-link]" in result.stdout
    out = refused(cohort_repo, "-C", cohort_repo, "plan", "set", "evil", "5.2", "--as").stderr
    assert "lien symbolique" in out
    assert outside.read_bytes() == (cohort_repo / LEA).read_bytes().replace(b"lea-martin", b"evil")


def test_the_io_layer_reads_no_file_through_a_link(cohort_dir, tmp_path):
    from olapcli.io.confine import read_regular

    _link_file(cohort_dir, tmp_path)
    _link_dir(cohort_dir, tmp_path)
    assert read_regular(cohort_dir, "resources/files/env") is None
    assert read_regular(cohort_dir, "resources/files/environ") is None
    assert read_regular(cohort_dir, "learners/lea-martin/files/docs/notes.txt") is None
    assert read_regular(cohort_dir, "../secret.txt") is None
    assert read_regular(cohort_dir, LEA) == (cohort_dir / LEA).read_bytes()


@pytest.mark.parametrize("where", ["resources/files/stray", "learners/lea-martin/stray"])
def test_a_link_alone_changes_what_validate_says(olap, cohort_repo, tmp_path, where, monkeypatch):
    # no data file changes: only the listing of the folders tells validate's cache, even
    # when it trusts the files' stats alone
    from olapcli.io import store
    from tests.test_cache import age_all

    monkeypatch.setattr(store, "RACY", 100_000_000)
    age_all(cohort_repo)
    assert olap("-C", cohort_repo, "validate").code == 0
    assert olap("-C", cohort_repo, "validate").code == 0  # from the cache
    (cohort_repo / where).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(tmp_path, cohort_repo / where)
    result = olap("-C", cohort_repo, "validate")
    assert result.code == 1, result.output
    assert f"{where}: erreur [symbolic-link]" in result.stdout


# --- images in user text -------------------------------------------------------------


def test_an_image_from_outside_the_site_is_a_link(olap, cohort_dir, monkeypatch):
    from tests.cli.test_render import parse

    monkeypatch.setenv("OLAP_TODAY", "2026-11-21")  # after the sample's last need
    edit(
        cohort_dir / LEA,
        "Point de vigilance du patron",
        "![pixel](https://tracker.example/p.png) ![proto](//tracker.example/q.png)"
        " ![haut](../../hors-site.png) ![abs](/etc/x.png)"
        " ![plan](../fichiers/resources/files/plan.png) Point de vigilance du patron",
    )
    assert olap("-C", cohort_dir, "validate").code == 0
    assert olap("-C", cohort_dir, "render").code == 0
    page = cohort_dir / "site/alternants/lea-martin.html"
    html = page.read_text(encoding="utf-8")
    assert re.findall(r'<img src="([^"]*)"', html) == ["../fichiers/resources/files/plan.png"]
    links = parse(page).links
    for url in ("https://tracker.example/p.png", "../../hors-site.png", "/etc/x.png"):
        assert url in links, url
    assert "tracker.example/q.png" not in " ".join(links)  # no host without a scheme


@pytest.mark.parametrize(
    ("src", "depth", "inside"),
    [
        ("https://x.example/a.png", 1, False),
        ("//x.example/a.png", 1, False),
        ("/a.png", 1, False),
        ("\\\\x.example\\a.png", 1, False),
        ("../a.png", 1, True),
        ("../../a.png", 1, False),
        ("a/../../a.png", 1, True),
        ("a/../../../a.png", 1, False),
        ("%2e%2e/%2e%2e/a.png", 1, False),
        ("a.png?x=../../..", 0, True),
        ("", 0, False),
    ],
)
def test_what_is_inside_the_site(src, depth, inside):
    from olapcli.render.filters import in_site

    assert in_site(src, depth) is inside


# --- control characters in URLs ------------------------------------------------------

CONTROLS = {"a newline": "\n", "a tab": "\t", "an escape": "\x1b", "DEL": "\x7f", "NEL": "\x85"}


@pytest.mark.parametrize("char", CONTROLS.values(), ids=CONTROLS.keys())
def test_a_url_with_a_control_character_is_refused_at_input(refused, cohort_repo, char):
    url = f"https://x.example/a{char}b"
    out = refused(
        cohort_repo, "-C", cohort_repo, "need", "add", "lea-martin", *need_args(), "--resource", url
    ).stderr
    assert "n'est pas un lien web" in out
    assert f"a{char}b" not in out  # said visibly, on one line
    out = refused(
        cohort_repo, "-C", cohort_repo, "resource", "add", "6.3", "--title", "t", "--url", url
    ).stderr
    assert "n'est pas un lien web" in out
    learner = ["--learner", "lea-martin"]
    args = ["resource", "add", "6.3", "--title", "t", "--url", url, *learner]
    refused(cohort_repo, "-C", cohort_repo, *args)


# YAML escapes, as someone would commit them: the file parses, the link holds the character
ESCAPES = {"a newline": "\\n", "a tab": "\\t", "an escape": "\\e", "NUL": "\\0", "NEL": "\\N"}


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
def test_validate_names_a_url_with_a_control_character(olap, refused, cohort_repo, escape):
    edit(
        cohort_repo / LEA,
        '"Tarte au citron meringuée (10 parts)"',
        f'"https://x.example/a{escape}b"',
    )
    with (cohort_repo / "resources/6.3.yaml").open("a", encoding="utf-8") as f:
        f.write(f'  - title: lien\n    url: "https://y.example/{escape}"\n')
    result = olap("-C", cohort_repo, "validate")
    assert result.code == 1, result.output
    assert re.search(rf"{LEA}:\d+:\d+: erreur \[control-in-link\]", result.stdout), result.stdout
    assert re.search(r"resources/6\.3\.yaml:\d+:\d+: erreur", result.stdout), result.stdout
    refused(cohort_repo, "-C", cohort_repo, "render")


@pytest.mark.parametrize(
    "link",
    ["resources/files", "resources/6.3.yaml", "learners/lea-martin", "learners/lea-martin/files"],
)
def test_resource_add_writes_nothing_through_a_link(refused, cohort_repo, tmp_path, link):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = cohort_repo / link
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside / "x.yaml" if link.endswith(".yaml") else outside, target)
    upload = tmp_path / "fiche.md"
    upload.write_text("fiche", encoding="utf-8")
    args = ["resource", "add", "6.3", "--title", "fiche", "--file", upload]
    if link.startswith("learners"):
        args += ["--learner", "lea-martin"]
    out = refused(cohort_repo, "-C", cohort_repo, *args).stderr
    assert "lien symbolique" in out
    assert list(outside.iterdir()) == []


# --- the outbox's markers, read back as well --------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        {"kind": "need", "learner": "x/../../learners/lea-martin", "item": "b20251029-aef4f607ed"},
        {"kind": "need", "learner": "lea-martin", "item": "../../../evil"},
        {"kind": "step", "learner": "lea-martin", "item": "b20251029-aef4f607ed", "step": "../x"},
    ],
)
def test_an_outbox_marker_naming_a_path_writes_nothing(olap, cohort_repo, record):
    (cohort_repo / "learners/x").mkdir()  # so that learners/x/.. resolves
    pending = cohort_repo / "outbox/pending"
    pending.mkdir(parents=True)
    (pending / "evil.event").write_text(json.dumps(record), encoding="utf-8")
    result = olap("-C", cohort_repo, "notify", "list")
    assert result.code == 0, result.output
    assert list((cohort_repo / "outbox").rglob("*.eml")) == []
    assert not (pending / "evil.event").exists()
