"""The validate cache never serves a stale result: every kind of edit is seen."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from olapcli import cache


def run(olap, root):
    result = olap("-C", root, "validate", "--format", "json")
    return result.code, json.loads(result.stdout)


def cached_file(root):
    files = list(cache.cache_dir().glob("validate-*.json"))
    assert len(files) == 1
    return files[0]


def test_second_run_uses_the_cache(olap, cohort_repo, monkeypatch):
    first = run(olap, cohort_repo)
    assert cached_file(cohort_repo).exists()
    # prove the second run does not load: make loading impossible
    import olapcli.io.load as loader

    monkeypatch.setattr(loader, "load_cohort", lambda root: pytest.fail("cache not used"))
    assert run(olap, cohort_repo) == first


EDITS = {
    "learner edited": lambda r: _sub(
        r / "learners/lea-martin.yaml", 'activity: "6.3"', 'activity: "9.9"'
    ),
    "same size edit": lambda r: _sub(
        r / "learners/lea-martin.yaml", 'activity: "6.3"', 'activity: "6.4"'
    ),
    "learner added": lambda r: shutil.copy(
        r / "learners/lea-martin.yaml", r / "learners/lea-bis.yaml"
    ),
    "learner removed": lambda r: (r / "learners/nathan-rey.yaml").unlink(),
    "referentiel edited": lambda r: _sub(r / "referentiel.yaml", 'id: "6.3"', 'id: "6.9"'),
    "cohort edited": lambda r: _sub(r / "cohort.yaml", "imminence_days: 21", "imminence_days: 2"),
    "subjects edited": lambda r: _sub(r / "subjects.yaml", "id: M4", "id: M8"),
    "resource edited": lambda r: _sub(
        r / "resources/6.3.yaml", "tarte-citron-meringuee.md", "x.md"
    ),
    "resource file deleted": lambda r: (r / "resources/files/plan-de-nettoyage.md").unlink(),
    "resource yaml added": lambda r: (r / "resources/99.yaml").write_text('activity: "99"\n'),
}


def _sub(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    stat = path.stat()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # same mtime as before: a cache keyed on stat data alone would miss this edit
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@pytest.mark.parametrize("name", list(EDITS))
def test_every_kind_of_edit_is_seen(olap, cohort_repo, name):
    before = run(olap, cohort_repo)
    EDITS[name](cohort_repo)
    after = run(olap, cohort_repo)
    fresh = olap("-C", cohort_repo, "validate", "--format", "json", "--no-cache")
    assert after == (fresh.code, json.loads(fresh.stdout))
    assert after != before


def test_options_and_day_are_part_of_the_key(olap, cohort_repo, monkeypatch):
    _code, normal = run(olap, cohort_repo)
    strict = olap("-C", cohort_repo, "validate", "--strict", "--format", "json")
    assert strict.code == 1 and json.loads(strict.stdout) != normal
    monkeypatch.setenv("OLAP_TODAY", "2025-10-01")
    assert run(olap, cohort_repo)[1] != normal
    english = olap("--lang", "en", "-C", cohort_repo, "validate", "--format", "json")
    assert json.loads(english.stdout)[0]["message"] != normal[0]["message"]


def test_corrupt_cache_is_ignored(olap, cohort_repo):
    first = run(olap, cohort_repo)
    cached_file(cohort_repo).write_text("{pas du json")
    assert run(olap, cohort_repo) == first
    assert json.loads(cached_file(cohort_repo).read_text())["key"]


def test_git_index_ids_match_git(cohort_repo, tmp_path):
    from tests.conftest import git

    staged = {}
    for line in git(cohort_repo, "ls-files", "-s").splitlines():
        meta, path = line.split("\t")
        staged[path] = meta.split()[1]
    path = cohort_repo / "learners/lea-martin.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# retouche\n", encoding="utf-8")
    ids = cache._git_ids(cohort_repo)
    assert ids and all(staged[rel] == blob for rel, blob in ids.items())
    assert "learners/lea-martin.yaml" not in ids
    # a cohort in a sub-folder of its repository (like sample-cohort/ here)
    outer = tmp_path / "depot"
    (outer / "cohortes").mkdir(parents=True)
    import shutil

    shutil.copytree(cohort_repo, outer / "cohortes" / "cap", ignore=shutil.ignore_patterns(".git"))
    from tests.conftest import make_repo

    make_repo(outer)
    import time

    time.sleep(0.01)  # leave the « racily clean » window of the new index
    nested = cache._git_ids(outer / "cohortes" / "cap")
    assert "learners/nathan-rey.yaml" in nested
