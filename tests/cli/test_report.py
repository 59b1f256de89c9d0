"""``olap report``: the self-contained HTML report for partners."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from olapcli.io import yamlread as yamlfast
from tests.conftest import SAMPLE, git, make_repo
from tests.independent_ref import prepared_day
from tests.test_browser import AXE, CHROMIUM, VNU, _need, print_a4_boxes
from tests.test_report_browser import is_a4_portrait

NAMES = set()
for _p in (SAMPLE / "learners").glob("*.yaml"):
    _d = yamlfast.load(_p.read_text(encoding="utf-8"))
    NAMES |= {_d["first_name"], _d["last_name"], _d["email"]}
    if _d.get("tutor"):
        NAMES |= {
            _d["tutor"]["first_name"],
            _d["tutor"]["last_name"],
            _d["tutor"].get("email") or "",
        }
NAMES.discard("")


class Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.refs += [(tag, v) for k, v in attrs if k in ("href", "src") and v]


@pytest.fixture
def report(olap, cohort_repo, tmp_path):
    out = tmp_path / "rapport.html"
    result = olap("-C", cohort_repo, "report", "--out", out)
    assert result.code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_no_name_and_no_outside_reference(report):
    found = [n for n in NAMES if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", report)]
    assert found == []
    assert "[nom]" in report  # « Léa » in a need's text was cleared
    refs = Refs()
    refs.feed(report)
    assert "script" not in refs.tags and "img" not in refs.tags
    assert refs.refs == [("link", "data:,")]  # only the empty favicon: no request at all
    assert "<svg" in report


def test_identify_shows_names(olap, cohort_repo, tmp_path):
    out = tmp_path / "r.html"
    assert olap("-C", cohort_repo, "report", "--identify", "--out", out).code == 0
    html = out.read_text(encoding="utf-8")
    assert "Léa Martin" in html and "Léa puisse" in html


def test_figures_match_olap_metrics(olap, cohort_repo, report):
    data = json.loads(olap("-C", cohort_repo, "metrics", "--format", "json").stdout)
    counted = sum(r["total"] for r in data["learners"])
    proactive = sum(r["proactive"] for r in data["learners"])
    assert f'<td class="center">{counted}</td>' in report
    # a share as French writes it: « 93 % », a no-break space before the sign (CLDR)
    assert f"{proactive} ({proactive / len(data['learners']):.0%})".replace("%", "\xa0%") in report
    for row in data["learners"]:
        assert f'<th scope="row">{row["key"]}</th>' in report
    granted = "le label est accordé" if data["label"]["granted"] else "le label n'est pas accordé"
    assert granted in html.unescape(report)
    for short in data["label"]["short"]:
        assert short["key"] in report


def test_the_count_rule_is_printed_and_followed(olap, cohort_repo, report):
    """The rule said in the report is the one its figures follow, counted here from the
    YAML files without olap: the company among the actors, identified strictly before
    due and within the window, a practice of the cohort."""
    import datetime as dt

    import yaml

    cohort = yaml.safe_load((cohort_repo / "cohort.yaml").read_text(encoding="utf-8"))
    days = (cohort.get("policy") or {}).get("imminence_days", 21)
    practices = {p["id"] for p in cohort["practices"]}
    by_hand = 0
    left_out = 0
    for path in sorted((cohort_repo / "learners").glob("*.yaml")):
        learner = yaml.safe_load(path.read_text(encoding="utf-8"))
        for need in learner.get("needs") or []:
            lead = (
                dt.date.fromisoformat(str(need["due"]))
                - dt.date.fromisoformat(str(need["identified"]))
            ).days
            fits = need.get("practice", "qualite") in practices and 1 <= lead <= days
            by_hand += fits and "entreprise" in need["marked_by"]
            left_out += fits and "entreprise" not in need["marked_by"]
    assert by_hand > 0 and left_out > 0  # the sample has both
    assert f'<td class="center">{by_hand}</td>' in report
    text = re.sub(r"\s+", " ", report)
    assert "La règle de comptage" in text and f"au plus {days} jours avant" in text


def test_several_cohorts_are_added_up(olap, cohort_repo, tmp_path):
    other = tmp_path / "autre"
    shutil.copytree(SAMPLE, other)
    for path in (other / "learners").glob("*.yaml"):
        path.write_text(
            path.read_text(encoding="utf-8").replace("key: K-", "key: K-Z"), encoding="utf-8"
        )
    text = (other / "cohort.yaml").read_text(encoding="utf-8")
    (other / "cohort.yaml").write_text(
        text.replace('name: "CAP Cuisine"', 'name: "BP Arts de la cuisine"'), encoding="utf-8"
    )
    make_repo(other)
    out = tmp_path / "r.html"
    result = olap("report", cohort_repo, other, "--out", out)
    assert result.code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "CAP Cuisine" in html and "BP Arts de la cuisine" in html
    assert "K-Z7QF2MZ9A" in html and "K-7QF2MZ9A" in html
    summary = re.findall(
        r'<th scope="row">([^<]+) <span class="muted">[^<]*</span></th>'
        r'<td>[^<]*</td><td class="center">(\d+)</td>',
        html,
    )
    assert sorted(summary) == [("BP Arts de la cuisine", "14"), ("CAP Cuisine", "14")]
    same = olap("report", cohort_repo, cohort_repo, "--out", out)
    assert same.code == 2 and "deux fois" in same.stderr


def test_uncommitted_changes_are_said(olap, cohort_repo, tmp_path):
    out = tmp_path / "r.html"
    olap("-C", cohort_repo, "report", "--out", out)
    assert "modifications non commitées" not in out.read_text(encoding="utf-8")
    commit = git(cohort_repo, "rev-parse", "HEAD").strip()
    assert commit[:10] in out.read_text(encoding="utf-8")
    lea = cohort_repo / "learners/lea-martin.yaml"
    lea.write_text(lea.read_text(encoding="utf-8") + "# retouche\n", encoding="utf-8")
    olap("-C", cohort_repo, "report", "--out", out)
    assert "modifications non commitées" in out.read_text(encoding="utf-8")


def test_broken_cohort_refused(refused, cohort_repo, tmp_path):
    (cohort_repo / "learners/lea-martin.yaml").write_text("id: [\n", encoding="utf-8")
    result = refused(cohort_repo, "-C", cohort_repo, "report", "--out", cohort_repo / "r.html")
    assert "olap validate" in result.stderr


def test_report_in_chromium_axe_vnu_and_a4(olap, cohort_repo, tmp_path):
    _need(shutil.which("chromium") is not None or CHROMIUM, "chromium")
    out = tmp_path / "rapport.html"
    assert olap("-C", cohort_repo, "report", "--out", out).code == 0
    sync_api = pytest.importorskip("playwright.sync_api")
    _need(AXE.exists(), "axe-core (npm ci)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        page.wait_for_load_state("networkidle")
        assert errors == [] and requests == [out.as_uri()]
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [
            v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")
        ] == []
        browser.close()
    _need(VNU.exists(), "vnu-jar (npm ci)")
    proc = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(out)],
        capture_output=True,
        text=True,
    )
    assert [m for m in json.loads(proc.stderr)["messages"] if m.get("type") == "error"] == []
    assert is_a4_portrait(print_a4_boxes(out.as_uri(), tmp_path))


def test_out_dash_is_standard_output(cohort_repo, tmp_path):
    """« --out - » writes the report on standard output, alone (no file named « - », no
    « Rapport écrit » line mixed into the HTML)."""
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "olapcli", "-C", str(cohort_repo), "report", "--out", "-"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    page = done.stdout.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not (tmp_path / "-").exists() and not (cohort_repo / "-").exists()


def test_the_quality_of_anticipation_matches_a_count_by_hand(olap, cohort_repo, report):
    """Issue 13, point 5: per practice and per learner, recomputed from the YAML files
    without olap — of the anticipated needs the company's share; of the counted ones
    the shares prepared by the due date, applied, evaluated, valorised with an
    advantage; the median lead time."""
    import datetime as dt
    import statistics

    import yaml

    cohort = yaml.safe_load((cohort_repo / "cohort.yaml").read_text(encoding="utf-8"))
    days = (cohort.get("policy") or {}).get("imminence_days", 21)
    practices = [p["id"] for p in cohort["practices"]]
    day = lambda v: v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))  # noqa: E731

    def tally(pairs):
        counted = [n for n, _ev in pairs if "entreprise" in n["marked_by"]]
        evaluated = {n["id"] for n, ev in pairs if ev}
        steps = [n.get("steps") or {} for n in counted]
        share = lambda k: k / len(counted) if counted else None  # noqa: E731
        return {
            "counted": len(counted),
            "anticipated": len(pairs),
            "company_share": len(counted) / len(pairs) if pairs else None,
            "prepared_share": share(
                sum(
                    1
                    for n, s in zip(counted, steps, strict=True)
                    if (first := prepared_day(s)) and first <= day(n["due"])
                )
            ),
            "applied_share": share(sum(1 for s in steps if s.get("applied"))),
            "evaluated_share": share(sum(1 for n in counted if n["id"] in evaluated)),
            "valorised_share": share(
                sum(1 for s in steps if s.get("valorised") and s.get("advantage"))
            ),
            "median_lead_days": statistics.median(
                (day(n["due"]) - day(n["identified"])).days for n in counted
            )
            if counted
            else None,
        }

    per_practice = {p: [] for p in practices}
    per_learner = {}
    for path in sorted((cohort_repo / "learners").glob("*.yaml")):
        learner = yaml.safe_load(path.read_text(encoding="utf-8"))
        answered = {e.get("need") for e in learner.get("evaluations") or []}
        mine = []
        for need in learner.get("needs") or []:
            lead = (day(need["due"]) - day(need["identified"])).days
            practice = need.get("practice", "qualite")
            if practice in practices and 1 <= lead <= days:
                pair = (need, need["id"] in answered)
                mine.append(pair)
                per_practice[practice].append(pair)
        per_learner[learner["key"]] = tally(mine)
    data = json.loads(olap("-C", cohort_repo, "metrics", "--format", "json").stdout)
    got = {
        q["practice"]: {k: v for k, v in q.items() if k != "practice"}
        for q in data["quality"]["practices"]
    }
    assert got == {p: tally(pairs) for p, pairs in per_practice.items()}
    got = {
        q["key"]: {k: v for k, v in q.items() if k != "key"} for q in data["quality"]["learners"]
    }
    assert got == per_learner
    assert any(q["valorised_share"] for q in per_learner.values())  # the sample has some
    assert 'id="qualite-anticipation"' in report and "Préparés à temps" in report


class Figures(HTMLParser):
    """Each chart of a report (div.figure): its title, the labels, values and bar widths
    of its drawing, and the rows of the table beside it."""

    def __init__(self):
        super().__init__()
        self.figures = []
        self.depth = 0  # inside a div.figure: how many divs deep
        self.text = None  # the class of the <text> being read
        self.cell = None  # the <th>/<td> of a table row being read
        self.row = None
        self.svg_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("class") == "figure":
            self.figures.append({"title": "", "labels": [], "values": [], "widths": [], "rows": []})
            self.depth = 1
            return
        if not self.depth:
            return
        f = self.figures[-1]
        if tag == "div":
            self.depth += 1
        elif tag == "title":
            self.svg_title = True
        elif tag == "text":
            self.text = a.get("class")
            f[{"label": "labels", "value": "values"}[self.text]].append("")
        elif tag == "tspan":
            f["labels"][-1] += " "
        elif tag == "rect":
            f["widths"].append(float(a["width"]))
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if not self.depth:
            return
        f = self.figures[-1]
        if tag == "div":
            self.depth -= 1
        elif tag == "title":
            self.svg_title = False
        elif tag == "text":
            self.text = None
        elif tag in ("th", "td") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr":
            f["rows"].append(self.row)
            self.row = None

    def handle_data(self, data):
        if not self.depth:
            return
        f = self.figures[-1]
        if self.svg_title:
            f["title"] += data
        elif self.text:
            f[{"label": "labels", "value": "values"}[self.text]][-1] += data
        elif self.cell is not None:
            self.cell += data


def _figures(page: str) -> list[dict]:
    found = Figures()
    found.feed(page)
    return found.figures


def _amount(text: str) -> float:
    """« 49 », « 1 234 », « 17 % » (the spaces French puts in) as a number."""
    return float(re.sub(r"[^\d,.]", "", text).replace(",", "."))


def _check_figures(page: str) -> list[dict]:
    """Each chart's table says what its bars draw: the same labels, the same values, and
    bars as long as their values (the longest one for the largest)."""
    figures = _figures(page)
    for f in figures:
        head, *rows = f["rows"]
        assert len(head) == 2 and rows
        squeeze = lambda t: re.sub(r"\s+", "", t)  # noqa: E731 (a label wraps in the drawing)
        assert [squeeze(label) for label, _v in rows] == [squeeze(x) for x in f["labels"]]
        assert [v for _label, v in rows] == f["values"]
        amounts = [_amount(v) for _label, v in rows]
        assert len(f["widths"]) == len(amounts)
        top, longest = max(amounts), max(f["widths"])
        for amount, width in zip(amounts, f["widths"], strict=True):
            # a share is rounded to the percent in the text, a count is exact
            assert abs(width / (longest or 1) - amount / (top or 1)) < 0.02, f["title"]
    return figures


def test_each_chart_has_a_table_of_the_same_figures(olap, cohort_repo, report):
    """Issue 15: beside each chart, a table of its figures, taken from the same bars; and
    the figures are those of olap metrics, counted again here."""
    figures = _check_figures(report)
    titles = [f["title"] for f in figures]
    assert titles == [
        "Besoins anticipés par pratique",
        "Besoins anticipés par période en entreprise",
        "Résultats des alternants proactifs et non proactifs",
    ]
    data = json.loads(olap("-C", cohort_repo, "metrics", "--format", "json").stdout)
    per_practice = {
        p["label"]: str(sum(r["counts"][p["id"]] for r in data["learners"]))
        for p in data["practices"]
    }
    assert dict(figures[0]["rows"][1:]) == per_practice
    periods = dict(figures[1]["rows"][1:])
    assert sum(int(v) for v in periods.values()) <= sum(r["total"] for r in data["learners"])
    # the outcomes: « yes » among those whose outcome is known, per group
    for label, value in figures[2]["rows"][1:]:
        match = re.fullmatch(r"(.+) — (proactifs|non proactifs) \(n=(\d+)\)", label)
        assert match, label
        assert value.endswith("\xa0%")
    # each drawing has its title and description, and so does each table (its caption)
    assert report.count('<table class="chart-data"><caption>Les chiffres du graphique') == 3
    assert report.count('<svg role="img" aria-labelledby=') == 3


def test_the_report_from_exports_has_the_same_chart_tables(olap, cohort_repo, tmp_path, report):
    out = tmp_path / "a.jsonl"
    assert olap("-C", cohort_repo, "export", "observatoire", "--out", out).code == 0
    page = tmp_path / "rows.html"
    assert olap("report", out, "--out", page).code == 0
    rows = _check_figures(page.read_text(encoding="utf-8"))
    folder = _figures(report)
    assert [f["rows"] for f in rows] == [folder[0]["rows"], folder[2]["rows"]]


def test_a_long_label_wraps_above_its_bar_and_an_empty_chart_says_so():
    from olapcli.render import charts

    long = "Une pratique au nom très long, qui ne tiendrait pas sur une seule ligne du tout"
    page = str(charts.practices_figure([(long, 3), ("Sport", 1)]))
    (f,) = _check_figures(page)
    assert page.count("<tspan") == 3  # two lines for the long label, one for « Sport »
    assert f["rows"][1] == [long, "3"]
    empty = str(charts.outcomes_figure([]))
    assert "<svg" not in empty and "Aucun chiffre à montrer" in empty


def test_the_summary_and_the_proactive_learners_are_said_in_words(report):
    text = html.unescape(re.sub(r"[ \t\n]+", " ", report))  # \s would take the no-break ones
    assert "Un alternant est dit proactif quand au moins un de ses besoins est compté." in text
    said = re.search(
        r"CAP Cuisine : (\d+) besoin\(s\) enregistré\(s\) pour (\d+) alternant\(s\), "
        r"dont (\d+) compté\(s\) comme besoins imminents anticipés ; (\d+) alternant\(s\) "
        r"\((\d+)\xa0%\) sont proactifs\.",
        text,
    )
    assert said, "the summary in words"
    recorded, learners, counted, proactive, share = map(int, said.groups())
    assert learners == 14 and counted <= recorded and share == round(100 * proactive / learners)
