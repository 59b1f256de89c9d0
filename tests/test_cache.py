"""olap's cache (olapcli.io.store) never serves a stale result, and saves what it claims.

What it claims is checked where the code really works: the parser every file goes
through (``olapcli.io.load.parse_node``) is watched, so a test that says « nothing is
read again » fails as soon as a file is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time

import pytest

import olapcli.io.load as loader
from olapcli.app.validate import validate
from olapcli.core.derive import briefs, metrics
from olapcli.core.model import Learner
from olapcli.io import store
from olapcli.io.load import learners, load_core, read_model
from olapcli.io.paths import learner_files
from tests.conftest import edit

LEA = "learners/lea-martin.yaml"


def run(olap, root, *args):
    result = olap("-C", root, "validate", "--format", "json", *args)
    return result.code, json.loads(result.stdout)


@pytest.fixture
def parsed(monkeypatch):
    """The paths of the files parsed from now on (every read goes through parse_node)."""
    seen: list[str] = []
    real = loader.parse_node

    def watch(text, rel):
        seen.append(rel)
        return real(text, rel)

    monkeypatch.setattr(loader, "parse_node", watch)
    return seen


#: the documents a validate run keeps (the rest of the cache: briefs, models, core…)
DOCUMENTS = [
    "output.blob",
    "output-parts.json",
    "output-stat.json",
    "learners.json",
    "learners.journal.json",
    "learners.base.json",
    "problems.json",
    "problems.journal.json",
    "core-checks.json",
    "files.json",
    "files.journal.json",
    "valid.json",
    "briefs.json",
]


def document(root, name):
    return store.Store(root).folder / name


# --- validate -------------------------------------------------------------------------


def test_a_second_run_reads_no_file(olap, cohort_repo, parsed):
    first = run(olap, cohort_repo)
    assert LEA in parsed and "cohort.yaml" in parsed
    parsed.clear()
    assert run(olap, cohort_repo) == first
    assert parsed == []


def test_after_one_edit_only_that_learner_file_is_read_again(olap, cohort_repo, parsed):
    run(olap, cohort_repo)
    parsed.clear()
    edit(cohort_repo / LEA, 'activity: "6.3"', 'activity: "9.9"')
    code, found = run(olap, cohort_repo)
    assert [rel for rel in parsed if rel.startswith("learners/")] == [LEA]
    assert code == 1 and any(p["code"] == "unknown-activity" for p in found)
    fresh = olap("-C", cohort_repo, "validate", "--format", "json", "--no-cache")
    assert (code, found) == (fresh.code, json.loads(fresh.stdout))


def test_the_same_bytes_written_back_or_a_new_day_parse_nothing(
    olap, cohort_repo, parsed, monkeypatch
):
    run(olap, cohort_repo)
    data = (cohort_repo / LEA).read_bytes()
    (cohort_repo / LEA).write_bytes(data)  # a new mtime and ctime, the same content
    shutil.copy(cohort_repo / "cohort.yaml", cohort_repo / "cohort.yaml.tmp")
    os.replace(cohort_repo / "cohort.yaml.tmp", cohort_repo / "cohort.yaml")  # a new inode
    parsed.clear()
    _code, before = run(olap, cohort_repo)
    assert parsed == []
    monkeypatch.setenv("OLAP_TODAY", "2025-10-15")  # back when fewer needs were past due
    _code, earlier = run(olap, cohort_repo)
    assert parsed == []
    fresh = olap("-C", cohort_repo, "validate", "--format", "json", "--no-cache")
    assert earlier == json.loads(fresh.stdout)
    overdue = [p for p in earlier if p["code"] in ("not-evaluated", "no-new-need")]
    assert (
        0 < len(overdue) < len([p for p in before if p["code"] in ("not-evaluated", "no-new-need")])
    )


EDITS = {
    "learner edited": lambda r: _sub(r / LEA, 'activity: "6.3"', 'activity: "9.9"'),
    "same size edit": lambda r: _sub(r / LEA, 'activity: "6.3"', 'activity: "6.4"'),
    "learner added": lambda r: shutil.copy(r / LEA, r / "learners/lea-bis.yaml"),
    "learner removed": lambda r: (r / "learners/nathan-rey.yaml").unlink(),
    "key shared": lambda r: _sub(r / LEA, "key: K-7QF2MZ9A", "key: K-4HX8RT2C"),
    "referentiel edited": lambda r: _sub(r / "referentiel.yaml", 'id: "6.3"', 'id: "6.9"'),
    "cohort edited": lambda r: _sub(r / "cohort.yaml", "imminence_days: 21", "imminence_days: 2"),
    "subjects edited": lambda r: _sub(r / "subjects.yaml", "id: M4", "id: M8"),
    "resource edited": lambda r: _sub(
        r / "resources/6.3.yaml", "tarte-citron-meringuee.md", "x.md"
    ),
    "resource file deleted": lambda r: (r / "resources/files/plan-de-nettoyage.md").unlink(),
    "resource yaml added": lambda r: (r / "resources/99.yaml").write_text('activity: "99"\n'),
}


def age_all(root):
    """Every file of the cohort last modified an hour ago: old enough for their stats to
    be trusted (the racy rule does not hold them)."""
    then = time.time_ns() - 3600 * 10**9
    for path in root.rglob("*"):
        if ".git" not in path.parts and path.is_file():
            os.utime(path, ns=(then, then))
    time.sleep(store.RACY / 1e9)  # their change times too: a utime changes it


@pytest.fixture
def digested(monkeypatch):
    """How many times the files' digests were looked up (each run of validate that does
    not trust the files' stats alone does it once)."""
    calls: list[int] = []
    real = store.Store.digests

    def watch(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(store.Store, "digests", watch)
    return calls


def test_files_of_the_same_stats_are_not_looked_at_again(olap, cohort_repo, digested):
    age_all(cohort_repo)
    first = text_run(olap, cohort_repo)
    assert digested == [1]
    assert text_run(olap, cohort_repo) == first
    assert digested == [1]  # the stats alone told nothing changed
    (cohort_repo / LEA).write_bytes((cohort_repo / LEA).read_bytes())  # a new mtime
    assert text_run(olap, cohort_repo) == first
    assert text_run(olap, cohort_repo) == first
    # just modified: its stat is not trusted until some time has passed (racy rule)
    assert digested == [1, 1, 1]


@pytest.mark.parametrize("name", list(EDITS))
def test_every_kind_of_edit_is_seen_when_stats_are_trusted(olap, cohort_repo, name, monkeypatch):
    monkeypatch.setattr(store, "RACY", 100_000_000)  # 0.1 s: not to wait 2 s per edit
    age_all(cohort_repo)
    before = text_run(olap, cohort_repo)
    assert text_run(olap, cohort_repo) == before
    EDITS[name](cohort_repo)
    after = text_run(olap, cohort_repo)
    assert after == text_run(olap, cohort_repo, "--no-cache")
    assert after != before


def _sub(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    stat = path.stat()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # same mtime as before: a cache keyed on the modification time alone would miss this
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def text_run(olap, root, *args):
    result = olap("-C", root, "validate", *args)
    return result.code, result.stdout, result.stderr


@pytest.mark.parametrize("name", list(EDITS))
def test_every_kind_of_edit_is_seen_in_the_text_too(olap, cohort_repo, name):
    before = text_run(olap, cohort_repo)
    EDITS[name](cohort_repo)
    after = text_run(olap, cohort_repo)
    assert after == text_run(olap, cohort_repo, "--no-cache")
    assert after != before


@pytest.fixture
def written(monkeypatch):
    """The files whose part of validate's text is made from now on."""
    import olapcli.render.problems as writers

    seen: list[str] = []
    real = writers.text_rows

    def watch(rows):
        seen.extend(sorted({r[0] for r in rows}))
        return real(rows)

    monkeypatch.setattr(writers, "text_rows", watch)
    return seen


def test_after_one_edit_only_that_files_part_of_the_text_is_written_again(
    olap, cohort_repo, written
):
    text_run(olap, cohort_repo)
    assert "learners/nathan-rey.yaml" in written and len(written) > 5
    written.clear()
    edit(cohort_repo / LEA, "marked_by: [entreprise, alternant]", "marked_by: [formateur]")
    after = text_run(olap, cohort_repo)
    assert written == [LEA]
    assert after == text_run(olap, cohort_repo, "--no-cache")
    assert "not-marked-by-company" in after[1]


def test_another_day_rewrites_only_the_parts_it_changes(olap, cohort_repo, written, monkeypatch):
    """Going forward or back in time, the text is the one of a run without cache, and
    only the files with a problem starting (or no longer holding) in between are
    written again."""
    days = ["2026-06-30", "2026-07-01", "2025-10-15", "2026-01-20", "2026-01-20"]
    every = len(learner_files(cohort_repo))
    for day in days:
        monkeypatch.setenv("OLAP_TODAY", day)
        written.clear()
        assert text_run(olap, cohort_repo) == text_run(olap, cohort_repo, "--no-cache"), day
    # from 2026-06-30 to 2026-07-01 nothing starts: no part is made again
    monkeypatch.setenv("OLAP_TODAY", "2026-06-30")
    text_run(olap, cohort_repo)
    written.clear()
    monkeypatch.setenv("OLAP_TODAY", "2026-07-01")
    text_run(olap, cohort_repo)
    assert written == []
    # back to a day when fewer needs were overdue: some parts, not all, are made again
    monkeypatch.setenv("OLAP_TODAY", "2025-10-15")
    text_run(olap, cohort_repo)
    assert 0 < len(set(written)) < every


@pytest.mark.parametrize("name", list(EDITS))
def test_every_kind_of_edit_is_seen(olap, cohort_repo, name):
    before = run(olap, cohort_repo)
    EDITS[name](cohort_repo)
    after = run(olap, cohort_repo)
    fresh = olap("-C", cohort_repo, "validate", "--format", "json", "--no-cache")
    assert after == (fresh.code, json.loads(fresh.stdout))
    assert after != before


def test_options_language_and_day_change_the_answer(olap, cohort_repo, monkeypatch):
    _code, normal = run(olap, cohort_repo)
    strict = olap("-C", cohort_repo, "validate", "--strict", "--format", "json")
    assert strict.code == 1 and json.loads(strict.stdout) != normal
    monkeypatch.setenv("OLAP_TODAY", "2025-10-01")
    assert run(olap, cohort_repo)[1] != normal
    english = olap("--lang", "en", "-C", cohort_repo, "validate", "--format", "json")
    assert json.loads(english.stdout)[0]["message"] != normal[0]["message"]


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw.replace(b"not-", b"pas-"),  # edited: the checksum is now wrong
        lambda raw: raw.replace(b"olap-store/", b"olap-store/0"),  # another format
        lambda raw: b"pas un cache",
        lambda raw: b"",
    ],
)
def test_a_damaged_document_is_ignored(olap, cohort_repo, name, damage):
    run(olap, cohort_repo)
    text_run(olap, cohort_repo)
    edit(cohort_repo / LEA, 'activity: "6.3"', 'activity: "6.4"')
    run(olap, cohort_repo)
    text_run(olap, cohort_repo)  # now every document is there, journals included
    edit(cohort_repo / LEA, 'activity: "6.4"', 'activity: "6.3"')
    path = document(cohort_repo, name)
    assert path.exists()
    path.write_bytes(damage(path.read_bytes()))
    fresh = text_run(olap, cohort_repo, "--no-cache")
    assert text_run(olap, cohort_repo) == fresh
    assert run(olap, cohort_repo) == run(olap, cohort_repo, "--no-cache")


def test_validate_marks_valid_files_and_only_those(olap, cohort_repo):
    olap("-C", cohort_repo, "validate")
    text = (cohort_repo / LEA).read_text(encoding="utf-8")
    cache = store.Store(cohort_repo)
    assert cache.known_valid(text)
    assert not cache.known_valid(text + "# autre\n")
    edit(cohort_repo / "learners/nathan-rey.yaml", "status: contract", "status: contrat")
    olap("-C", cohort_repo, "validate")
    bad = (cohort_repo / "learners/nathan-rey.yaml").read_text(encoding="utf-8")
    assert not cache.known_valid(bad)
    assert cache.known_valid(text)


# --- briefs and models ------------------------------------------------------------------


def from_models(root):
    """The learners and their briefs made straight from the files, no cache involved."""
    out = []
    for rel in learner_files(root):
        learner, _problems = read_model(root, rel, Learner)
        if learner is not None:
            out.append((rel, learner))
    return out


def briefs_of(root):
    return [(rel, briefs.of(learner)) for rel, learner in from_models(root)]


def age(path, seconds=3600):
    """Put *path*'s modification time in the past, as for files from an old checkout."""
    old = time.time() - seconds
    os.utime(path, (old, old))


@pytest.mark.parametrize("kind", ["brief", "model"])
def test_cold_and_warm_give_what_the_files_give(cohort_dir, kind, parsed):
    rels = learner_files(cohort_dir)
    cold, problems = learners(cohort_dir, rels, kind)
    assert problems == [] and len(parsed) == len(rels)
    parsed.clear()
    warm, _ = learners(cohort_dir, rels, kind)
    assert parsed == []
    expected = briefs_of(cohort_dir) if kind == "brief" else from_models(cohort_dir)
    assert cold == expected == warm
    lea = dict(cold)[LEA]
    assert lea.first_name == "Léa" and lea.needs and lea.needs[0].resources
    if kind == "brief":
        assert briefs.from_json(briefs.to_json(lea)) == lea


def test_validate_leaves_briefs_that_the_report_reads_without_parsing(cohort_dir, parsed):
    assert [p for p in validate(cohort_dir, dt.date(2026, 11, 21)) if p.severity == "error"] == []
    parsed.clear()
    found, problems = learners(cohort_dir, learner_files(cohort_dir), "brief")
    assert parsed == []
    assert problems == [] and found == briefs_of(cohort_dir)


def test_a_same_size_edit_with_the_old_mtime_put_back_is_seen(cohort_dir):
    path = cohort_dir / LEA
    rels = learner_files(cohort_dir)
    for rel in rels:
        age(cohort_dir / rel)
    learners(cohort_dir, rels, "brief")  # entries are now trusted by their stat
    before = os.stat(path)
    edit(path, "cubes réguliers de 3 mm", "cubes réguliers de 4 mm")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    found, _ = learners(cohort_dir, rels, "brief")
    assert any("4 mm" in n.detail for n in dict(found)[LEA].needs)
    assert found == briefs_of(cohort_dir)


def test_a_file_edited_just_after_being_read_is_not_trusted_by_its_stat(cohort_dir, monkeypatch):
    """Racy: edited in the same clock tick as it was read, a file may keep its stat.

    Simulated with a stat that ignores ctime: only the racy rule can then see the
    edit, because the files were modified right before the first read."""
    monkeypatch.setattr(
        store, "stat_of", lambda p: [os.stat(p).st_size, os.stat(p).st_mtime_ns, 0, 0]
    )
    rels = learner_files(cohort_dir)
    for rel in rels:
        os.utime(cohort_dir / rel)  # just written, as by a checkout a moment ago
    learners(cohort_dir, rels, "brief")
    path = cohort_dir / LEA
    before = os.stat(path)
    edit(path, "cubes réguliers de 3 mm", "cubes réguliers de 4 mm")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    found, _ = learners(cohort_dir, rels, "brief")
    assert found == briefs_of(cohort_dir)


def test_without_the_racy_rule_that_edit_would_be_missed(cohort_dir, monkeypatch):
    """The test above can fail: with the racy window closed, the same edit is missed."""
    monkeypatch.setattr(
        store, "stat_of", lambda p: [os.stat(p).st_size, os.stat(p).st_mtime_ns, 0, 0]
    )
    monkeypatch.setattr(store, "RACY", -(10**12))
    rels = learner_files(cohort_dir)
    for rel in rels:
        os.utime(cohort_dir / rel)
    learners(cohort_dir, rels, "brief")
    path = cohort_dir / LEA
    before = os.stat(path)
    edit(path, "cubes réguliers de 3 mm", "cubes réguliers de 4 mm")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    found, _ = learners(cohort_dir, rels, "brief")
    assert found != briefs_of(cohort_dir)


def test_broken_files_are_reported_and_dropped(cohort_dir):
    rels = learner_files(cohort_dir)
    learners(cohort_dir, rels, "model")
    edit(cohort_dir / LEA, "cubes réguliers de 3 mm", "cubes de 4 mm")
    edit(cohort_dir / "learners/nathan-rey.yaml", "status: contract", "status: contrat")
    found, problems = learners(cohort_dir, rels, "model")
    assert "cubes de 4 mm" in dict(found)[LEA].needs[0].detail
    assert [p.path for p in problems] == ["learners/nathan-rey.yaml"]
    assert "learners/nathan-rey.yaml" not in dict(found)


@pytest.mark.parametrize("kind", ["brief", "model"])
def test_a_tampered_entry_is_read_again(cohort_dir, kind):
    rels = learner_files(cohort_dir)
    learners(cohort_dir, rels, kind)
    cache = store.Store(cohort_dir)
    table = cache.table("briefs" if kind == "brief" else "models")
    entries = table.load()
    digests, _ = cache.digests(rels)
    if kind == "brief":
        entry = ["trop", "court"]
    else:
        entry = {**entries[digests[LEA]], "status": "n'importe quoi"}
    table.save({digests[LEA]: entry})  # a well-formed document whose entry is wrong
    found, problems = learners(cohort_dir, rels, kind)
    expected = briefs_of(cohort_dir) if kind == "brief" else from_models(cohort_dir)
    assert problems == [] and found == expected


def test_parallel_parsing_gives_the_same_learners(cohort_dir, monkeypatch):
    import olapcli.io.workers as pipeline

    edit(cohort_dir / "learners/nathan-rey.yaml", "status: contract", "status: contrat")
    rels = learner_files(cohort_dir)
    single = learners(cohort_dir, rels, "model")
    shutil.rmtree(store.cache_dir())
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    parallel = learners(cohort_dir, rels, "model")
    assert parallel[0] == single[0]
    assert [p.as_json() for p in parallel[1]] == [p.as_json() for p in single[1]] != []


def test_coverage_counts_match_the_coverage_lists(cohort_dir):
    core, _ = load_core(cohort_dir)
    ids = [a.id for g in core.referentiel.groups for a in g.activities]
    found = [b for _rel, b in briefs_of(cohort_dir)]
    assert any(b.not_feasible for b in found) and any(b.latest for b in found)
    for b in found:
        lists = metrics.coverage(b, core.referentiel)
        assert metrics.coverage_counts(b, ids) == {k: len(v) for k, v in lists.items()}


# --- the journaled tables ---------------------------------------------------------------


def test_a_table_keeps_changes_in_its_journal_then_compacts(tmp_path):
    cache = store.Store(tmp_path)
    table = cache.table("t")
    table.save({f"k{i}": i for i in range(2000)})  # the first save writes the base
    base = (cache.folder / "t.json").read_bytes()
    for i in range(3):
        cache.table("t").save({f"new{i}": i}, [f"k{i}"])
    assert (cache.folder / "t.json").read_bytes() == base  # only the journal was written
    seen = cache.table("t").load()
    assert seen["new2"] == 2 and "k0" not in seen and seen["k3"] == 3 and len(seen) == 2000
    cache.table("t").save({f"more{i}": i for i in range(300)})  # past an eighth of 2000
    assert (cache.folder / "t.json").read_bytes() != base
    assert cache.table("t").load() == {**seen, **{f"more{i}": i for i in range(300)}}
    assert cache.read("t.journal")["entries"] == {}


def test_a_journal_written_beside_another_base_is_ignored(tmp_path):
    cache = store.Store(tmp_path)
    cache.table("t").save({"a": 1})  # base A
    first, second = cache.table("t"), cache.table("t")
    first.load()
    second.load()
    second.save({"z": 1})  # a journal of base A
    stale = (cache.folder / "t.journal.json").read_bytes()
    first.save({f"x{i}": i for i in range(300)})  # compacts into base B, without z
    (cache.folder / "t.journal.json").write_bytes(stale)  # base A's journal, late
    found = cache.table("t").load()
    assert "z" not in found and found["a"] == 1 and found["x0"] == 0


def test_a_file_kept_in_memory_is_read_again_once_it_changes(cohort_repo, monkeypatch):
    """olap serve keeps access.yaml in memory between requests (io/memo.MODELS): a link
    revoked since must be seen at the next request."""
    from olapcli.app.access import grant_access, revoke_grant
    from olapcli.core.model import AccessFile
    from olapcli.io import memo
    from olapcli.io.memo import Models

    monkeypatch.setattr(memo, "RACY", 0)  # a stat is trusted at once (the change time is now)

    today = dt.date(2026, 11, 21)
    made = grant_access(cohort_repo, "lea-martin", "tuteur", today).grant
    path = cohort_repo / "access.yaml"
    old = time.time() - 60
    os.utime(path, (old, old))  # old enough to be trusted
    memo = Models()
    first, _problems = memo.read(cohort_repo, "access.yaml", AccessFile)
    again, _problems = memo.read(cohort_repo, "access.yaml", AccessFile)
    assert first is not None and again is first  # not read again
    revoke_grant(cohort_repo, made.id, today)
    now, _problems = memo.read(cohort_repo, "access.yaml", AccessFile)
    assert now is not None and [g.revoked for g in now.grants] == [today]
    os.utime(path, (old, old))
    assert memo.read(cohort_repo, "access.yaml", AccessFile)[0] == now


def test_the_server_loads_the_learners_at_start_and_freezes_them(cohort_repo, monkeypatch):
    """olap serve's start (app/serve.warm): every learner in memory, then the objects
    loaded are left out of the collector's passes (a full pass stopped every request)."""
    import gc

    from olapcli.app.serve import warm
    from olapcli.io import memo
    from olapcli.io.memo import LEARNERS

    monkeypatch.setattr(memo, "RACY", 0)  # the files were just copied: trusted all the same
    try:
        warm(cohort_repo)
        assert gc.get_freeze_count() > 0
        kept = LEARNERS.known[cohort_repo]
        assert sorted(kept) == sorted(
            f"learners/{p.name}" for p in (cohort_repo / "learners").glob("*.yaml")
        )
    finally:
        gc.unfreeze()


def test_the_peers_hint_reads_the_cohort_again_after_a_write_or_once_its_time_is_up(
    cohort_repo, monkeypatch
):
    """memo.Learners.recent (the peers on a trainer's learner page): the last answer of
    valid() while younger than the window, unless a write went through this process's
    queue (app/writes) since; past the window, the files are asked again."""
    from olapcli.app import writes
    from olapcli.io import memo

    monkeypatch.setattr(memo, "RACY", 0)
    kept = memo.Learners()
    monkeypatch.setattr(memo, "LEARNERS", kept)
    first = kept.recent(cohort_repo, 60)
    path = next((cohort_repo / "learners").glob("*.yaml"))
    with path.open("a", encoding="utf-8") as out:
        out.write("# changed elsewhere\n")
    assert kept.recent(cohort_repo, 60) is first  # within the window: as read before
    again = kept.recent(cohort_repo, 0)  # past it: read again
    assert again is not first and again == first
    assert kept.recent(cohort_repo, 60) is again
    assert writes.write(cohort_repo, lambda: 42) == 42  # a write through the queue
    assert kept.recent(cohort_repo, 60) is not again


def test_the_server_keeps_one_learner_by_stat_and_reads_it_again_once_changed(
    cohort_repo, monkeypatch
):
    """memo.Learners.one (the person's learner at every request of olap serve): the same
    model while the file's stat is the same, the file read again once it changes, and a
    file with errors refused as valid_learners refuses it."""
    from olapcli.errors import ProblemsError
    from olapcli.io import memo

    monkeypatch.setattr(memo, "RACY", 0)
    kept = memo.Learners()
    rel = "learners/lea-martin.yaml"
    first = kept.one(cohort_repo, rel)
    assert first.first_name == "Léa" and kept.one(cohort_repo, rel) is first
    path = cohort_repo / rel
    path.write_text(
        path.read_text(encoding="utf-8").replace('first_name: "Léa"', 'first_name: "Lea"'),
        encoding="utf-8",
    )
    again = kept.one(cohort_repo, rel)
    assert again is not first and again.first_name == "Lea"
    path.write_text("id: [\n", encoding="utf-8")
    with pytest.raises(ProblemsError):
        kept.one(cohort_repo, rel)
