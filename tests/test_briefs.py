"""Learner briefs (what the figures read) and their cache: never stale, never trusted blindly."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from olapcli import briefs, cache
from olapcli.core.derive import briefs as derived
from olapcli.core.derive import metrics
from olapcli.core.model import Learner
from olapcli.io.load import load_core, read_model
from olapcli.io.paths import learner_files
from olapcli.validate import validate
from tests.conftest import edit


def from_models(root):
    """The briefs made straight from the models, no cache involved."""
    out = []
    for rel in learner_files(root):
        learner, _problems = read_model(root, rel, Learner)
        if learner is not None:
            out.append((rel, derived.of(learner)))
    return out


def cache_file():
    return next(cache.cache_dir().glob("briefs-*.json"))


def age(path, seconds=3600):
    """Put *path*'s modification time in the past, as for files from an old checkout."""
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_cold_and_warm_give_the_models_briefs(cohort_dir):
    rels = learner_files(cohort_dir)
    cold, problems = briefs.load(cohort_dir, rels)
    assert problems == []
    warm, _ = briefs.load(cohort_dir, rels)
    assert cold == from_models(cohort_dir) == warm
    lea = dict(cold)["learners/lea-martin.yaml"]
    assert lea.first_name == "Léa" and lea.needs and lea.needs[0].resources
    assert derived.from_json(derived.to_json(lea)) == lea


def test_validate_leaves_briefs_that_the_report_reads_without_parsing(cohort_dir, monkeypatch):
    assert [p for p in validate(cohort_dir, dt.date(2026, 11, 21)) if p.severity == "error"] == []
    cache_file()  # validate wrote it

    def no_parsing(item):
        raise AssertionError(f"{item[0]} was parsed again")

    monkeypatch.setattr(briefs, "_parse", no_parsing)
    found, problems = briefs.load(cohort_dir, learner_files(cohort_dir))
    assert problems == [] and found == from_models(cohort_dir)


def test_a_same_size_edit_with_the_old_mtime_put_back_is_seen(cohort_dir):
    path = cohort_dir / "learners/lea-martin.yaml"
    rels = learner_files(cohort_dir)
    for rel in rels:
        age(cohort_dir / rel)
    briefs.load(cohort_dir, rels)  # entries are now trusted by their stat
    before = os.stat(path)
    edit(path, "cubes réguliers de 3 mm", "cubes réguliers de 4 mm")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    found, _ = briefs.load(cohort_dir, rels)
    lea = dict(found)["learners/lea-martin.yaml"]
    assert any("4 mm" in n.detail for n in lea.needs)
    assert found == from_models(cohort_dir)


def test_a_file_edited_just_after_being_read_is_not_trusted_by_its_stat(cohort_dir, monkeypatch):
    """Racy: edited in the same clock tick as it was read, a file may keep its stat.

    Simulated with a stat that ignores ctime: only the racy rule can then see
    the edit, because the files were modified right before the first read."""
    monkeypatch.setattr(briefs, "stat_of", lambda p: [os.stat(p).st_size, os.stat(p).st_mtime_ns])
    rels = learner_files(cohort_dir)
    for rel in rels:
        os.utime(cohort_dir / rel)  # just written, as by a checkout a moment ago
    briefs.load(cohort_dir, rels)
    path = cohort_dir / "learners/lea-martin.yaml"
    before = os.stat(path)
    edit(path, "cubes réguliers de 3 mm", "cubes réguliers de 4 mm")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    found, _ = briefs.load(cohort_dir, rels)
    assert found == from_models(cohort_dir)


def test_broken_files_are_reported_and_dropped(cohort_dir):
    rels = learner_files(cohort_dir)
    briefs.load(cohort_dir, rels)
    edit(cohort_dir / "learners/nathan-rey.yaml", "status: contract", "status: contrat")
    found, problems = briefs.load(cohort_dir, rels)
    assert [p.path for p in problems] == ["learners/nathan-rey.yaml"]
    assert "learners/nathan-rey.yaml" not in dict(found)
    assert b"nathan-rey.yaml" not in cache_file().read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw.replace("Léa".encode(), "Zoé".encode()),  # edited, checksum now wrong
        lambda raw: b"pas un cache",
        lambda raw: b"",
    ],
)
def test_a_damaged_cache_file_is_ignored(cohort_dir, damage):
    rels = learner_files(cohort_dir)
    briefs.load(cohort_dir, rels)
    path = cache_file()
    path.write_bytes(damage(path.read_bytes()))
    found, problems = briefs.load(cohort_dir, rels)
    assert problems == [] and found == from_models(cohort_dir)


def test_a_cache_entry_of_the_wrong_shape_is_read_again(cohort_dir):
    rels = learner_files(cohort_dir)
    briefs.load(cohort_dir, rels)
    entries, started = briefs._read(cohort_dir)
    entries["learners/lea-martin.yaml"][1] = ["trop", "court"]
    briefs._write(cohort_dir, entries, started)
    found, _ = briefs.load(cohort_dir, rels)
    assert found == from_models(cohort_dir)


def test_coverage_counts_match_the_coverage_lists(cohort_dir):
    core, _ = load_core(cohort_dir)
    ids = [a.id for g in core.referentiel.groups for a in g.activities]
    learners = [b for _rel, b in from_models(cohort_dir)]
    assert any(b.not_feasible for b in learners) and any(b.latest for b in learners)
    for b in learners:
        lists = metrics.coverage(b, core.referentiel)
        assert metrics.coverage_counts(b, ids) == {k: len(v) for k, v in lists.items()}
