"""Every message has its French translation, and the compiled catalog is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "olapcli/locale/fr/LC_MESSAGES/olap.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated(tmp_path):
    babel = pytest.importorskip("babel.messages.pofile")
    pot = tmp_path / "olap.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "ngettext:1,2",
            "-k",
            "_mark",
            "-k",
            "_nmark:1,2",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in babel.read_po(f) if m.id}
    with PO.open("rb") as f:
        catalog = babel.read_po(f)
    have = {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog if m.id}
    missing = sorted(
        m for m in wanted if not have.get(m) or (isinstance(have[m], tuple) and not all(have[m]))
    )
    assert missing == []
    unused = sorted(set(have) - wanted)
    assert unused == [], "messages in olap.po no longer used in the code"


def test_compiled_catalog_matches_po():
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    def norm(v):
        return tuple(v) if isinstance(v, list | tuple) else v

    with PO.open("rb") as f:
        po = {norm(m.id): norm(m.string) for m in read_po(f) if m.id}
    with MO.open("rb") as f:
        mo = {norm(m.id): norm(m.string) for m in read_mo(f) if m.id}
    assert po == mo, "run: pybabel compile -d olapcli/locale -D olap"


def test_english_and_french_help(tmp_path):
    fr = subprocess.run(
        [sys.executable, "-m", "olapcli", "need", "add", "--help"],
        capture_output=True,
        text=True,
        env={"OLAP_LANG": "fr", "COLUMNS": "200"},
    )
    en = subprocess.run(
        [sys.executable, "-m", "olapcli", "--lang", "en", "need", "add", "--help"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200"},
    )
    assert "Enregistrer un besoin imminent" in fr.stdout and "Exemple" in fr.stdout
    assert "Record an imminent need" in en.stdout and "Example" in en.stdout
