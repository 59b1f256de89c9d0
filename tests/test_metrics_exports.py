"""``olap metrics``' table as a partner opens it (issue 13, points 7 and 5): the quality
of anticipation per learner in the terminal, CSV and XLSX; the CSV dialects (French:
« ; », decimal comma, BOM; RFC 4180); typed XLSX cells with number formats, frozen
headers, autofilters and sized columns. Files are read back as a spreadsheet or a
program would: Python's csv module, openpyxl.

Every expectation is written out here (« 64 % », « 0,27 »), not asked of the code
under test: a format that changes fails."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests import search_ref
from tests.test_formats import NBSP, SHARES

HEADERS_FR = [
    "Part confirmée par l'entreprise",
    "Part préparée avant l'échéance",
    "Part appliquée",
    "Part évaluée",
    "Part valorisée avec un avantage",
    "Délai médian (jours)",
]
SEARCH_FR = [
    "Entreprises contactées",
    "Besoins recueillis",
    "Besoins par entreprise",
    "Stages",
    "Contrats",
    "Jours médians jusqu'au contrat",
]
#: in the CSV, the quality's six columns come before the contract search's six
QUALITY = slice(-12, -6)


def _number(text: str, mark: str) -> float | None:
    return None if text == "" else float(text.replace(mark, "."))


def test_csv_french_dialect_by_default(olap, cohort_repo, figures, tmp_path):
    data, quality = figures
    out = tmp_path / "t.csv"
    assert olap("-C", cohort_repo, "metrics", "--format", "csv", "--out", out).code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with it
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:-1]  # the last row: the contract search of all learners
    assert header[QUALITY] == HEADERS_FR and len(body) == len(data["learners"])
    leads = []
    for row in body:
        assert len(row) == len(header)
        q = quality[row[0]]
        for name, text in zip(SHARES, row[QUALITY][:-1], strict=True):
            assert "." not in text
            assert _number(text, ",") == pytest.approx(q[f"{name}_share"], abs=1e-6)
        assert _number(row[QUALITY][-1], ",") == q["median_lead_days"]
        leads.append(row[QUALITY][-1])
    assert "6,5" in leads  # a decimal comma


def test_csv_rfc4180_dialect(olap, cohort_repo, figures, tmp_path):
    data, quality = figures
    out = tmp_path / "t.csv"
    args = ["-C", cohort_repo, "metrics", "--format", "csv", "--out", out]
    assert olap(*args, "--csv-dialect", "rfc4180").code == 0
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))  # RFC 4180: « , »
    assert len(rows) == len(data["learners"]) + 2  # the header, the learners, all of them
    assert all(len(r) == len(rows[0]) for r in rows)
    by_key = {r[0]: r for r in rows[1:]}
    for key, q in quality.items():
        assert _number(by_key[key][QUALITY][-1], ".") == q["median_lead_days"]
        applied = by_key[key][QUALITY][2]
        assert _number(applied, ".") == pytest.approx(q["applied_share"], abs=1e-6)
    assert "6.5" in [r[QUALITY][-1] for r in rows]
    # in English, RFC 4180 is the default (and the headers are English)
    assert olap("--lang", "en", *args[:-1], out).code == 0
    english = out.read_bytes()
    assert not english.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(english.decode("utf-8"))))
    assert parsed[0][QUALITY][:-1] == [
        "Share confirmed by the company",
        "Share prepared before due",
        "Share applied",
        "Share evaluated",
        "Share valorised with an advantage",
    ]
    assert [r[QUALITY] for r in parsed[1:]] == [r[QUALITY] for r in rows[1:]]


@pytest.mark.parametrize(
    ("dialect", "period"),
    [("fr", []), ("rfc4180", []), ("rfc4180", ["--from", "2025-09-11", "--to", "2025-10-31"])],
)
def test_csv_carries_the_contract_search(olap, cohort_repo, tmp_path, dialect, period):
    # recounted from the learner files (tests/search_ref.py), not asked of olap
    start, end = (dt.date.fromisoformat(d) for d in period[1::2]) if period else (None, None)
    expected = search_ref.by_hand(cohort_repo, start, end)
    assert sum(f["prospects"] > 0 for f in expected.values()) == 2  # Amina and Kevin
    out = tmp_path / "t.csv"
    args = ["-C", cohort_repo, "metrics", "--format", "csv", "--out", out, *period]
    assert olap(*args, "--csv-dialect", dialect).code == 0
    text = out.read_bytes().decode("utf-8-sig")
    mark = "," if dialect == "fr" else "."
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if dialect == "fr" else ","))
    header, body, last = rows[0], rows[1:-1], rows[-1]
    assert header[-6:] == SEARCH_FR
    assert sorted(r[0] for r in body) == sorted(expected)  # one row per learner, as before

    def cells(search):
        return [
            search["prospects"],
            search["needs"],
            search_ref.per_company(search),
            search["internships"],
            search["contracts"],
            search_ref.median_days(search),
        ]

    for row in body:
        want = expected[row[0]]
        if not want["prospects"]:  # who approached no company: nothing to say
            assert row[-6:] == [""] * 6, row[0]
            continue
        got = [_number(c, mark) for c in row[-6:]]
        assert got == pytest.approx(cells(want), abs=1e-6), row[0]
    # the cohort: a last row with the search only, the learners' days put together
    assert last[0] == "Tous les alternants" and set(last[1:-6]) == {""}
    got = [_number(c, mark) for c in last[-6:]]
    assert got == pytest.approx(cells(search_ref.total(expected)), abs=1e-6)
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


def test_xlsx_cells_are_typed_and_sheets_ready(olap, cohort_repo, figures, tmp_path):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    data, quality = figures
    out = tmp_path / "t.xlsx"
    assert olap("-C", cohort_repo, "metrics", "--format", "xlsx", "--out", out).code == 0
    book = load_workbook(out)
    table = book.worksheets[0]
    header = [c.value for c in table[1]]
    assert header[-6:] == HEADERS_FR
    first = len(header) - 6
    for row in table.iter_rows(min_row=2):
        q = quality[row[0].value]
        for name, c in zip(SHARES, row[first : first + 5], strict=True):
            if q[f"{name}_share"] is None:
                assert c.value is None
            else:
                assert c.data_type == "n" and c.number_format == "0%"
                assert c.value == pytest.approx(q[f"{name}_share"])
        lead = row[-1]
        if q["median_lead_days"] is not None:
            assert lead.value == q["median_lead_days"] and lead.number_format == "0.0"
        counts = row[1 : 1 + len(data["practices"])]
        assert all(type(c.value) is int and c.number_format == "#,##0" for c in counts)
    annex = book.worksheets[4]
    identified = [r[4] for r in annex.iter_rows(min_row=2)]
    assert identified and all(
        isinstance(c.value, dt.datetime) and c.number_format == "dd/mm/yyyy" for c in identified
    )
    assert {c.value.date() for c in identified} == {
        dt.date.fromisoformat(a["identified"]) for a in data["annex"]
    }
    label = book.worksheets[2]
    assert label["B2"].number_format == "0%" and label["B2"].value == pytest.approx(
        data["label"]["share"]
    )
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        last = get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
        for i in range(1, sheet.max_column + 1):
            width = sheet.column_dimensions[get_column_letter(i)].width
            assert 8 <= width <= 62, (sheet.title, i, width)
    keys = table.column_dimensions["A"].width
    assert keys >= len(data["learners"][0]["key"])  # a key is read whole
    # the contract search, the last sheet: the JSON's figures, a row per learner and the total
    search = book.worksheets[-1]
    assert search.title == "Recherche de contrat"
    got = [[c.value for c in r] for r in search.iter_rows(min_row=2)]
    pipeline = data["pipeline"]
    fields = ["prospects", "needs", "needs_per_prospect", "internships", "contracts"]
    fields.append("median_days_to_contract")
    want = [[r["key"], *(r[f] for f in fields)] for r in pipeline["learners"]]
    want.append(["Tous les alternants", *(pipeline["total"][f] for f in fields)])
    assert got == want and len(want) == 3


def test_terminal_table_in_french_and_english(olap, cohort_repo, figures):
    _data, quality = figures
    french = olap("-C", cohort_repo, "metrics")
    english = olap("--lang", "en", "-C", cohort_repo, "metrics")
    assert french.code == english.code == 0
    key, q = next((k, q) for k, q in quality.items() if q["median_lead_days"] == 6.5)
    cells_fr = _cells(french.stdout, key)
    cells_en = _cells(english.stdout, key)
    expected = [f"{q[f'{name}_share']:.0%}" for name in SHARES]
    assert cells_fr[-6:] == [e.replace("%", f"{NBSP}%") for e in expected] + ["6,5"]
    assert cells_en[-6:] == [*expected, "6.5"]
    empty = next(k for k, q in quality.items() if not q["counted"])
    assert _cells(french.stdout, empty)[-6:] == ["—"] * 6
    assert "Part" in french.stdout and "Share" in english.stdout


def _cells(out: str, key: str) -> list[str]:
    """The cells of *key*'s row, across the slices the table is cut in (each repeats the
    key)."""
    parts = [x for x in out.splitlines() if x.startswith(key + " ") and "│" in x]
    split = [[c.strip() for c in line.split("│")] for line in parts]
    return split[0] + [c for part in split[1:] for c in part[1:]]
