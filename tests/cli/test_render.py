"""``olap render``: the static site, safe, linked, incremental, in two languages."""

from __future__ import annotations

import html as html_module
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import snapshot

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)> [clic](javascript:alert(1)) [d](data:text/html,x)'
EVIL_URLS = ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", " JaVaScRiPt:alert(2)"]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "link" and dict(attrs) == {"rel": "icon", "href": "data:,"}:
            return  # the template's empty favicon: it spares the browser a request
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)
            assert not name.startswith("on"), f"event handler attribute {name}"


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture
def site(olap, cohort_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("OLAP_TODAY", "2026-01-07")
    out = tmp_path / "site"
    result = olap("-C", cohort_dir, "render", "--out", out, "--format", "both")
    assert result.code == 0, result.output
    return out


def test_pages_exist(site):
    names = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
    for page in (
        "index",
        "synoptique",
        "alternants/lea-martin",
        "alternants/lea-martin-ressources",
        "activites/6.3",
        "matieres/maths",
        "qcm/index",
        "qcm/6",
    ):
        assert f"{page}.html" in names and f"{page}.md" in names
    assert "fichiers/resources/files/tarte-citron-meringuee.md" in names
    assert len([n for n in names if n.startswith("alternants/") and n.endswith(".html")]) == 28


def test_every_relative_link_resolves(site):
    for page in site.rglob("*.html"):
        parsed = parse(page)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme, f"{page}: {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(site)} → {link}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parse(target).ids, f"{page.relative_to(site)} → {link}"
    for page in site.rglob("*.md"):
        for link in re.findall(r"\]\(<?([^)>]+)>?\)", page.read_text(encoding="utf-8")):
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                continue
            assert (page.parent / unquote(parts.path)).resolve().is_file(), (
                f"{page.relative_to(site)} → {link}"
            )


def test_grid_shows_needs_evaluations_and_states(site):
    html = (site / "alternants/lea-martin.html").read_text(encoding="utf-8")
    assert "Tarte au citron meringuée servie en volume" in html
    # marked by the company, evaluated EC by the company: each mark by its letters and colour
    assert '<span class="lv lv-i">I</span> · <span class="lv lv-ec">EC</span>' in html
    assert 'scope="rowgroup"' in html and "<caption>" in html
    # the activities with nothing for her (no need, evaluation, planned period) collapsed
    import yaml

    from tests.conftest import SAMPLE

    ref = yaml.safe_load((SAMPLE / "referentiel.yaml").read_text(encoding="utf-8"))
    lea = yaml.safe_load((SAMPLE / "learners/lea-martin.yaml").read_text(encoding="utf-8"))
    busy = {str(n["activity"]) for n in lea["needs"] if "activity" in n}
    busy |= {str(e["activity"]) for e in lea["evaluations"] if "activity" in e}
    busy |= {str(a) for a, p in (lea.get("plan") or {}).items() if p.get("periods")}
    quiet = [
        str(a["id"]) for g in ref["groups"] for a in g["activities"] if str(a["id"]) not in busy
    ]
    main, _sep, folded = html.partition('<details class="quiet">')
    assert f"<summary>{len(quiet)} activités sans besoin" in folded
    assert (
        re.findall(r'<a href="../activites/([\d.]+)\.html">', folded.split("</details>")[0])
        == quiet
    )
    assert not any(f'<a href="../activites/{a}.html">' in main for a in quiet)
    # open needs due soon / overdue stand out, and not by colour alone
    kevin = (site / "alternants/kevin-lopez.html").read_text(encoding="utf-8")
    assert 'class="late"' in kevin and '<span class="tag">en retard</span>' in kevin
    syn = (site / "synoptique.html").read_text(encoding="utf-8")
    assert "Léa Martin (A)" in syn  # a peer proposed for an open need on 6.3, by name
    assert "lea-martin (A)" not in syn and ">kevin-lopez<" not in syn  # never by slug


def test_user_text_and_links_never_survive(olap, cohort_dir, tmp_path):
    import json

    q = json.dumps  # a JSON string is a valid YAML double-quoted scalar
    lea = cohort_dir / "learners/lea-martin.yaml"
    text = lea.read_text(encoding="utf-8")
    text = text.replace('first_name: "Léa"', f"first_name: {q(EVIL)}")
    text = text.replace('last_name: "Martin"', f"last_name: {q('<i>' + EVIL)}")
    text = re.sub(r'detail: "[^"]*"', f"detail: {q(EVIL)}", text)
    text = re.sub(r'company:\n  name: "[^"]*"', f"company:\n  name: {q(EVIL)}", text)
    text = text.replace('first_name: "Marc"', f"first_name: {q(EVIL)}")
    text = text.replace('last_name: "Girard"', f"last_name: {q(EVIL)}")
    text = text.replace(
        "    practice: qualite\n", f"    practice: qualite\n    company: {q(EVIL)}\n", 1
    )
    urls = "".join(f"\n      - {q(u)}" for u in EVIL_URLS)
    text = text.replace("    resources:", "    resources:" + urls, 1)
    lea.write_text(text, encoding="utf-8")
    res = cohort_dir / "resources/6.3.yaml"
    res.write_text(
        res.read_text(encoding="utf-8").replace(
            'title: "Dresser un dessert à l\'assiette"', f"title: {q(EVIL)}"
        ),
        encoding="utf-8",
    )
    own = cohort_dir / "learners/lea-martin"
    own.mkdir()
    (own / "6.3.yaml").write_text(
        f'activity: "6.3"\nresources:\n  - title: {q(EVIL)}\n    url: "https://ok.example/x"\n',
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = olap("-C", cohort_dir, "render", "--out", out, "--format", "both")
    assert result.code == 0, result.output
    grid = (out / "alternants/lea-martin.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in grid and "&lt;img" in grid  # the text is there, inert
    md = (out / "alternants/lea-martin.md").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in md
    from olapcli.render import environment

    # the one script a page may hold is the site's own filter box, as its template makes it
    ours = str(environment().get_template("_filter.html.j2").module.script())  # type: ignore[attr-defined]
    assert ours.startswith("<script>") and "innerHTML" not in ours
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert html.count("<script") == html.count(ours), page
        assert "<script" not in html.replace(ours, "").lower(), page
        parsed = parse(page)
        assert parsed.tags.count("script") == html.count(ours) and "img" not in parsed.tags
        for link in parsed.links:
            assert not link.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (
                page,
                link,
            )
    for page in out.rglob("*.md"):
        md = page.read_text(encoding="utf-8")
        assert "<script" not in md.lower()
        # a link needs an unescaped « ]( »; « \\](javascript: » is literal text
        assert not re.search(r"(?<!\\)\]\(<?\s*(javascript|data):", md, re.I), page


def test_incremental_render_rewrites_only_what_depends(olap, cohort_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("OLAP_TODAY", "2026-01-07")
    out = tmp_path / "site"
    assert olap("-C", cohort_dir, "render", "--out", out).code == 0
    second = olap("-C", cohort_dir, "render", "--out", out)
    assert "0 fichier(s) écrit(s)" in second.stdout
    before = snapshot(out)
    lea = cohort_dir / "learners/lea-martin.yaml"
    lea.write_text(
        lea.read_text(encoding="utf-8").replace("cubes réguliers de 3 mm", "cubes de 4 mm"),
        encoding="utf-8",
    )
    assert olap("-C", cohort_dir, "render", "--out", out).code == 0
    after = snapshot(out)
    changed = {k for k in after if before.get(k) != after[k]} - {".olap-site.json"}
    assert changed == {"alternants/lea-martin.html"}
    # a learner removed: their pages go, nothing else is touched
    (cohort_dir / "learners/nathan-rey.yaml").unlink()
    (out / "notes-du-formateur.txt").write_text("à garder")
    assert olap("-C", cohort_dir, "render", "--out", out).code == 0
    assert not (out / "alternants/nathan-rey.html").exists()
    assert (out / "notes-du-formateur.txt").read_text() == "à garder"


def test_english(olap, cohort_dir, tmp_path):
    out = tmp_path / "site"
    assert olap("--lang", "en", "-C", cohort_dir, "render", "--out", out).code == 0
    html = (out / "alternants/lea-martin.html").read_text(encoding="utf-8")
    assert 'lang="en"' in html and "Imminent needs and evaluations of Léa Martin" in html


def test_golden_grid_and_synoptic(site, golden):
    for name in (
        "alternants/lea-martin.html",
        "alternants/lea-martin.md",
        "synoptique.html",
        "synoptique.md",
    ):
        golden(name.replace("/", "__"), (site / name).read_text(encoding="utf-8"))


def test_broken_core_refused(refused, cohort_dir, tmp_path):
    (cohort_dir / "referentiel.yaml").write_text("groups: [\n", encoding="utf-8")
    result = refused(cohort_dir, "-C", cohort_dir, "render", "--out", cohort_dir / "site")
    assert "referentiel.yaml" in result.stderr


def test_resource_file_with_a_script_link_is_refused(refused, cohort_dir):
    res = cohort_dir / "resources/6.3.yaml"
    res.write_text(
        res.read_text(encoding="utf-8") + '  - title: x\n    url: "javascript:alert(1)"\n',
        encoding="utf-8",
    )
    result = refused(cohort_dir, "-C", cohort_dir, "render", "--out", cohort_dir / "site")
    assert "n'est pas un lien web" in result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://exemple.org/a?b=1#c", "https://exemple.org/a?b=1#c"),
        ("http://exemple.org", "http://exemple.org"),
        ("../activites/6.3.html#a-6.3", "../activites/6.3.html#a-6.3"),
        ("javascript:alert(1)", "#"),
        (" JaVaScRiPt:alert(1)", "#"),
        ("java\tscript:alert(1)", "#"),
        ("data:text/html,x", "#"),
        ("vbscript:x", "#"),
        ("//evil.example/x", "#"),
        ("https:/pas-d-hote", "#"),
        ("fichier avec espace.pdf", "fichier%20avec%20espace.pdf"),
    ],
)
def test_safe_href(url, expected):
    from olapcli.render.filters import safe_href

    assert safe_href(url.replace("\\t", "\t")) == expected


def test_markdown_keeps_text_drops_html_and_bad_links():
    from olapcli.render.filters import markdown

    html = str(markdown(EVIL + " [ok](https://exemple.org) **gras**"))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html and 'href="data' not in html
    assert '<a href="https://exemple.org">ok</a>' in html and "<strong>gras</strong>" in html


def test_a_markdown_resource_is_a_page_of_the_site(olap, cohort_dir, tmp_path):
    """A resource deposited as Markdown is read as a page (issue 15, point 1), its tables
    too, beside the file itself; raw HTML and scripts in it stay text."""
    files = cohort_dir / "resources/files"
    hostile = "# Fiche\n\n<script>alert(1)</script>\n\n[lien](javascript:alert(2))\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    (files / "plan-de-nettoyage.md").write_text(hostile, encoding="utf-8")
    out = tmp_path / "site"
    assert olap("-C", cohort_dir, "render", "--out", out).code == 0
    activity = (out / "activites/2.1.html").read_text(encoding="utf-8")
    assert 'href="../fichiers/resources/files/plan-de-nettoyage.md.html"' in activity
    page = (out / "fichiers/resources/files/plan-de-nettoyage.md.html").read_text(encoding="utf-8")
    main = page.split('<main id="contenu">', 1)[1]
    assert "<h1>Fiche</h1>" in main and "<td>1</td>" in main
    assert "<script>" not in main and "&lt;script&gt;" in main
    assert 'href="javascript' not in main  # not a link: its text stays
    assert 'href="plan-de-nettoyage.md"' in main  # the file as deposited, beside
    assert (out / "fichiers/resources/files/plan-de-nettoyage.md").read_text() == hostile
    # removed with its file: the manifest lists it as olap's own
    manifest = (out / ".olap-site.json").read_text(encoding="utf-8")
    assert "fichiers/resources/files/plan-de-nettoyage.md.html" in manifest


def test_the_home_page_is_a_dashboard(site):
    """The index says what to follow today (issue 15, point 1), counted here from the
    files: overdue, due within a week, awaiting the company, no new need this period."""
    import datetime as dt

    import yaml

    from tests.conftest import SAMPLE

    today = dt.date(2026, 1, 7)  # the site fixture's OLAP_TODAY
    cohort = yaml.safe_load((SAMPLE / "cohort.yaml").read_text(encoding="utf-8"))
    since = max(p["start"] for p in cohort["periods"] if p["start"] <= today)
    want = {"overdue": [], "week": [], "awaiting": [], "quiet": []}
    for path in sorted((SAMPLE / "learners").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        answered = {e.get("need") for e in data.get("evaluations") or []}
        needs = data.get("needs") or []
        for n in needs:
            if n["id"] in answered:
                continue
            if n["due"] < today:
                want["overdue"].append(n["id"])
            elif n["due"] <= today + dt.timedelta(days=7):
                want["week"].append(n["id"])
            if "entreprise" not in n["marked_by"]:
                want["awaiting"].append(n["id"])
        if not any(n["identified"] >= since for n in needs):
            want["quiet"].append(f"{data['first_name']} {data['last_name']}")
    page = html_module.unescape((site / "index.html").read_text(encoding="utf-8"))
    parts = page.split('<section class="board-part">')[1:]
    heads = [re.search(r"<h3>(.*?) \((\d+)\)</h3>", p).groups() for p in parts]
    assert [h for h, _n in heads] == [
        "En retard",
        "Échéance cette semaine",
        "En attente de la confirmation de l'entreprise",
        f"Aucun nouveau besoin depuis le {since}",
    ]
    assert [int(n) for _h, n in heads] == [len(want[k]) for k in want]
    quiet = re.findall(r'\.html">([^<]+)</a>', parts[3].split("</section>")[0])
    assert sorted(quiet) == sorted(want["quiet"])
    assert want["overdue"] and want["quiet"]  # the sample has some of each
