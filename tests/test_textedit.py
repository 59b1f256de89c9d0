"""The text path of ``need add``: same result as the round-trip path, only added lines."""

from __future__ import annotations

import datetime as dt
import difflib

import pytest

from olapcli.app.needs import NeedInput, need_map
from olapcli.io import textedit
from olapcli.io import yamlread as yamlfast
from olapcli.io import yamlwrite as store
from olapcli.io.yamlwrite import plain
from tests.conftest import SAMPLE, edit, need_args, snapshot

LEARNERS = sorted((SAMPLE / "learners").glob("*.yaml"))
NEED = {
    "id": "b20261120-0123456789",
    "activity": "6.3",
    "practice": "recherche-contrat",
    "marked_by": ["entreprise", "alternant"],
    "identified": dt.date(2026, 11, 20),
    "due": dt.date(2026, 11, 25),
    "detail": 'Tarte "citron" : 10 min de plus # four plein — à 180 °C',
    "company": "L'Auberge",
    "resources": ["https://ressources.example/tarte", "Fiche : dosage"],
}


def only_added(before: str, after: str) -> list[str]:
    changes = [
        line
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line[:2] in ("+ ", "- ")
    ]
    assert all(line.startswith("+ ") for line in changes), changes
    return [line[2:] for line in changes]


@pytest.mark.parametrize("path", LEARNERS, ids=lambda p: p.stem)
def test_text_path_agrees_with_round_trip(path, tmp_path):
    before = path.read_text(encoding="utf-8")
    old = yamlfast.load(before)
    after = textedit.append_need(before, old, NEED)
    if not old.get("needs"):
        assert after is None  # no list to extend: the round-trip path does it
        return
    assert after is not None
    added = only_added(before, after)
    assert len(added) == 11  # 7 fields, company, resources: and its 2 items
    # the round-trip path gives the same data
    copy = tmp_path / "l.yaml"
    copy.write_text(before, encoding="utf-8")
    doc = store.load(copy, "l.yaml")
    inp = NeedInput(
        activity=NEED["activity"],
        marked_by=NEED["marked_by"],
        identified=NEED["identified"],
        due=NEED["due"],
        detail=NEED["detail"],
        practice=NEED["practice"],
        company=NEED["company"],
        resources=NEED["resources"],
    )
    store.append_item(doc.data["needs"], need_map(NEED["id"], inp))
    assert yamlfast.load(after) == plain(yamlfast.load(store.dump(doc)))
    # the comment that introduces the next key stays just above it
    if "# Indicateurs" in before:
        assert "« inconnu ».\noutcomes:" in after


@pytest.mark.parametrize(
    "text",
    [
        "id: a\nneeds: []\n",  # a flow list
        "id: a\nneeds:\n  - id: x\n    detail: y",  # no final newline
        "id: a\r\nneeds:\r\n  - id: x\r\n",  # Windows line ends
        # a quoted value continued at column 0: inserting before « lignes" » would break it
        'id: a\nneeds:\n  - id: x\n    detail: "deux\nlignes"\nnext: 1\n',
    ],
)
def test_falls_back_when_it_cannot_prove(text):
    """No proof, no text edit: the round-trip path takes over."""
    old = yamlfast.load(text)
    assert textedit.append_need(text, old, NEED) is None


def test_usual_need_add_does_not_use_the_round_trip(olap, cohort_repo, monkeypatch):
    from olapcli.app import edit

    assert olap("-C", cohort_repo, "validate").code == 0  # marks the files valid
    monkeypatch.setattr(edit, "edit_locked", lambda *a, **k: pytest.fail("round trip used"))
    for i in range(3):  # and again: a file olap just wrote is known valid
        # three needs, not one thrice: the same need twice is a validate error
        args = need_args(f"Crème citron {i}")
        result = olap("-C", cohort_repo, "need", "add", "lea-martin", *args)
        assert result.code == 0, result.output
    assert olap("-C", cohort_repo, "validate", "--no-cache").code == 0


def test_hand_edited_file_takes_the_validating_path(olap, cohort_repo):
    assert olap("-C", cohort_repo, "validate").code == 0
    edit(cohort_repo / "learners/lea-martin.yaml", "status: contract", "status: contrat")
    before = snapshot(cohort_repo)
    result = olap("-C", cohort_repo, "need", "add", "lea-martin", *need_args("x"))
    assert result.code == 2 and "« contrat » n'est pas permis" in result.stderr
    assert snapshot(cohort_repo) == before
