"""The parsed-data cache: the same learners as reading the files, never stale."""

from __future__ import annotations

import json

from olapcli import briefs, cache, datacache
from olapcli.core.model import Learner
from olapcli.io.load import read_model
from olapcli.io.paths import learner_files
from tests.conftest import edit


def direct(root):
    out = []
    for rel in learner_files(root):
        learner, _problems = read_model(root, rel, Learner)
        if learner is not None:
            out.append((rel, learner))
    return out


def test_same_learners_cold_and_warm(cohort_dir):
    rels = learner_files(cohort_dir)
    cold, problems = datacache.load_learners(cohort_dir, rels)
    assert problems == []
    warm, _ = datacache.load_learners(cohort_dir, rels)
    expected = direct(cohort_dir)
    assert [(r, lrn) for r, lrn, _raw in cold] == expected
    assert [(r, lrn) for r, lrn, _raw in warm] == expected


def test_an_edit_is_seen_and_a_broken_file_is_reported(cohort_dir):
    rels = learner_files(cohort_dir)
    datacache.load_learners(cohort_dir, rels)
    edit(cohort_dir / "learners/lea-martin.yaml", "cubes réguliers de 3 mm", "cubes de 4 mm")
    edit(cohort_dir / "learners/nathan-rey.yaml", "status: contract", "status: contrat")
    found, problems = datacache.load_learners(cohort_dir, rels)
    lea = next(lrn for _r, lrn, _raw in found if lrn.id == "lea-martin")
    assert "cubes de 4 mm" in lea.needs[0].detail
    assert [p.path for p in problems] == ["learners/nathan-rey.yaml"]
    assert "nathan-rey" not in {lrn.id for _r, lrn, _raw in found}
    stored = json.loads(next(cache.cache_dir().glob("data-*.json")).read_text(encoding="utf-8"))
    assert "learners/nathan-rey.yaml" not in stored["files"]


def test_a_tampered_cache_goes_through_the_model(cohort_dir):
    rels = learner_files(cohort_dir)
    datacache.load_learners(cohort_dir, rels)
    path = next(cache.cache_dir().glob("data-*.json"))
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["files"]["learners/lea-martin.yaml"][1]["status"] = "n'importe quoi"
    path.write_text(json.dumps(stored), encoding="utf-8")
    found, problems = datacache.load_learners(cohort_dir, rels)
    assert problems == [] and [(r, lrn) for r, lrn, _raw in found] == direct(cohort_dir)
    path.write_text("{pas du json", encoding="utf-8")
    found, problems = datacache.load_learners(cohort_dir, rels)
    assert problems == [] and len(found) == 14


def test_parallel_parsing_gives_the_same_learners(cohort_dir, monkeypatch):
    import olapcli.io.workers as pipeline

    edit(cohort_dir / "learners/nathan-rey.yaml", "status: contract", "status: contrat")
    rels = learner_files(cohort_dir)
    items = [(r, (cohort_dir / r).read_bytes()) for r in rels]
    single = pipeline.parallel_map(datacache._parse, items)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    parallel = pipeline.parallel_map(datacache._parse, items)
    assert pipeline.parallel_map(briefs._parse, items) == [briefs._parse(i) for i in items]
    assert [(r, lrn, [p.as_json() for p in errs], d) for r, lrn, errs, d in parallel] == [
        (r, lrn, [p.as_json() for p in errs], d) for r, lrn, errs, d in single
    ]
    assert any(errs for _r, _l, errs, _d in parallel)  # the broken file's problems come back
