"""French formats a partner opens as they are (issue 13, point 7): numbers and dates
through CLDR, in French and in English, in the report (the terminal, CSV and XLSX:
tests/test_metrics_exports.py).

Every expectation is written out here (« 64 % », « 0,27 »), not asked of the code
under test: a format that changes fails."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from olapcli.core.derive.quality import Days, Share
from olapcli.i18n import set_language
from olapcli.render import formats

NNBSP, NBSP = "\u202f", "\u00a0"  # CLDR French: thousands / before the percent sign
SHARES = ("company", "prepared", "applied", "evaluated", "valorised")


def test_formats_follow_the_language():
    day = dt.date(2026, 11, 12)
    set_language("fr")
    assert formats.number(10000) == f"10{NNBSP}000"
    assert formats.percent(0.64) == f"64{NBSP}%"
    assert formats.percent(2 / 3, 1) == f"66,7{NBSP}%"
    assert formats.decimal(0.27) == "0,27" and formats.decimal(12.0) == "12"
    assert formats.date(day) == "12 novembre 2026" and formats.date("2026-11-12") == formats.date(
        day
    )
    assert [formats.cell(v) for v in (None, Share(0.5), Days(6.5), 7, "=x", day)] == [
        "—",
        f"50{NBSP}%",
        "6,5",
        "7",
        "=x",
        "12 novembre 2026",
    ]
    set_language("en")
    assert formats.number(10000) == "10,000"
    assert formats.percent(0.64) == "64%"
    assert formats.decimal(0.27) == "0.27"
    assert formats.date(day) == "November 12, 2026"
    assert formats.cell(Days(6.5)) == "6.5"


class Tables(HTMLParser):
    """The report's tables: caption -> rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.caption: str | None = None
        self.text: list[str] | None = None
        self.row: list[str] | None = None
        self.where: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self.where, self.caption = "caption", ""
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.text = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self.where = None
            self.tables[self.caption] = []
        elif tag in ("td", "th") and self.text is not None and self.row is not None:
            self.row.append("".join(self.text).strip())
            self.text = None
        elif tag == "tr" and self.row is not None and self.caption is not None:
            self.tables[self.caption].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.where == "caption":
            self.caption += data
        elif self.text is not None:
            self.text.append(data)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_report_numbers_and_dates_in_the_language(olap, cohort_repo, figures, tmp_path, lang):
    import yaml

    data, quality = figures
    out = tmp_path / "r.html"
    assert olap("--lang", lang, "-C", cohort_repo, "report", "--out", out).code == 0
    page = out.read_text(encoding="utf-8")
    parser = Tables()
    parser.feed(page)
    caption = ("Quality of anticipation per learner", "Qualité de l'anticipation par alternant")
    per_learner = next(v for k, v in parser.tables.items() if k.startswith(caption))
    pct = f"{NBSP}%" if lang == "fr" else "%"
    rows = {r[0]: r for r in per_learner[1:]}
    assert len(rows) == len(quality)
    for key, q in quality.items():
        shares = [q[f"{n}_share"] for n in SHARES]
        shown = ["—" if v is None else f"{v:.0%}".replace("%", pct) for v in shares]
        lead = q["median_lead_days"]
        lead_text = "—" if lead is None else f"{lead:g}".replace(".", "," if lang == "fr" else ".")
        assert rows[key][1:] == [str(q["counted"]), *shown, lead_text]
    cohort = yaml.safe_load((cohort_repo / "cohort.yaml").read_text(encoding="utf-8"))
    start = cohort["start"]
    summary = parser.tables[next(k for k in parser.tables if k.startswith(("Les actions", "The")))]
    row = summary[1]
    month = {"fr": ["septembre", "août"], "en": ["September", "August"]}[lang]
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} – \d{1,2} \w+ \d{4}|\w+ \d{1,2}, \d{4} – .*", row[1])
    assert str(start.year) in row[1] and any(m in row[1] for m in month), row[1]
    n = len(data["learners"])
    proactive = sum(r["proactive"] for r in data["learners"])
    assert row[5] == f"{proactive} ({proactive / n:.0%})".replace("%", pct)
    generated = re.search(r"(?:Produit le|Generated on) ([^<]*?) (?:par|by) olap", page)
    assert generated and re.fullmatch(
        r"\d{1,2} [a-zéû]+ \d{4}" if lang == "fr" else r"[A-Z][a-z]+ \d{1,2}, \d{4}",
        generated.group(1),
    )
    # the annex: each need's dates in words
    first = data["annex"][0]
    day = dt.date.fromisoformat(first["identified"])
    set_language(lang)
    assert formats.date(day) in page and first["identified"] not in page
