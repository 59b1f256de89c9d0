"""The trainer's synoptic table (/synoptique) and peer matching (/entraide) on a real
server over a real cohort: the sample's 14 learners plus 60 written here, whose levels
the test knows — each cell checked against what was written, a page at a time; refused
to every link but a trainer's over the whole cohort; the peers of an open need named A
before R on the learner's page, for that trainer only."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import pytest

from tests.conftest import git
from tests.web.conftest import LEA, Client, Server, token

#: learners written by the test, after the sample's by last name (Zz000 … Zz059)
EXTRA = 60
#: the level of the written learner i on activity 1.1
LEVELS = ("A", "EC", "R")
#: an activity no sample learner is evaluated on: its peers are the test's only
RARE = "11.1"


def lid(i: int) -> str:
    return f"zz-{i:03d}"


def learner_file(i: int) -> str:
    evals = [("1.1", LEVELS[i % 3], f"2025-10-{1 + i % 28:02d}", None)]
    needs = []
    if i == 0:  # an open need on RARE, no evaluation answers it
        needs.append(f"""  - id: b20251110-{i:010x}
    activity: "{RARE}"
    practice: qualite
    marked_by: [entreprise, alternant]
    identified: 2025-11-10
    due: 2025-11-17
    detail: "Besoin ouvert"
""")
    if i == 1:  # R on RARE, the more recent
        evals.append((RARE, "R", "2025-11-03", None))
    if i == 2:  # A on RARE, older: still named first
        evals.append((RARE, "A", "2025-10-03", None))
    lines = [
        f"id: {lid(i)}",
        f"key: K-ZZ{i:06d}",
        'first_name: "Pair"',
        f'last_name: "Zz{i:03d}"',
        "status: contract",
        "tutor:",
        '  first_name: "Tuteur"',
        f'  last_name: "T{i:03d}"',
        f"  email: tuteur-{i}@resto.example",
        "trainers: [fdupont]",
        "needs:" + ("\n" + "".join(needs) if needs else " []"),
        "evaluations:",
    ]
    for n, (activity, level, day, _need) in enumerate(evals):
        lines += [
            f"  - id: e{day.replace('-', '')}-{i:07x}{n:03x}",
            f'    activity: "{activity}"',
            f"    level: {level}",
            f"    date: {day}",
            "    by: formateur",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def served(cohort_repo: Path):
    from tests.web.conftest import start

    for i in range(EXTRA):
        (cohort_repo / "learners" / f"{lid(i)}.yaml").write_text(learner_file(i), "utf-8")
    git(cohort_repo, "add", "-A")
    git(cohort_repo, "commit", "-qm", "60 learners more")
    yield from start(cohort_repo)


def logged_in(serve: Server, learner: str, role: str, person: str | None = None) -> Client:
    client = serve.client()
    assert client.open_link(token(serve.root, learner, role, person)).status == 200
    return client


def trainer(serve: Server) -> Client:
    return logged_in(serve, "*", "formateur", "fdupont")


class Tables(html.parser.HTMLParser):
    """Every table row of a page: [(cell text, the hrefs of its links)]."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, list[str]]]] = []
        self.cell: list[str] | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell, self.links = [], []
        elif tag == "a" and self.cell is not None:
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append((" ".join("".join(self.cell).split()), self.links))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def rows(text: str) -> list[list[tuple[str, list[str]]]]:
    parser = Tables()
    parser.feed(text)
    return parser.rows


def sample_names(root: Path) -> list[tuple[str, str, str]]:
    """(last name, first name, id) of the sample's learners, read from their files."""
    out = []
    for path in (root / "learners").glob("*.yaml"):
        text = path.read_text("utf-8")
        if path.stem.startswith("zz-"):
            continue
        first = re.search(r'^first_name: "(.*)"', text, re.M)
        last = re.search(r'^last_name: "(.*)"', text, re.M)
        assert first and last
        out.append((last.group(1), first.group(1), path.stem))
    return out


# --- the synoptic table --------------------------------------------------------------------


def test_each_cell_shows_the_level_written_a_page_at_a_time(served):
    client = trainer(served)
    first = client.get("/synoptique")
    assert first.status == 200, first.text
    assert "Page 1 sur 2" in first.text and 'rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    table = rows(first.text)
    header = [text for text, _links in table[0]]
    column = header.index("1.1")
    body = table[1:]
    # page 1: the sample's 14 learners (by last name), then Zz000 … Zz035
    expected = [f"/alternants/{i}" for _l, _f, i in sorted(sample_names(served.root))]
    expected += [f"/alternants/{lid(i)}" for i in range(50 - len(expected))]
    assert [row[0][1][0] for row in body] == expected
    for row in body:
        href = row[0][1][0]
        if href.startswith("/alternants/zz-"):
            i = int(href.rsplit("-", 1)[1])
            assert row[column][0] == LEVELS[i % 3], (href, row[column])
    lea = next(row for row in body if row[0][1] == [f"/alternants/{LEA}"])
    assert lea[header.index("6.3")][0] == "I A"  # a need on 6.3, then her latest level (sample)

    second = client.get("/synoptique?page=2")
    assert second.status == 200
    assert "Page 2 sur 2" in second.text and 'rel="prev"' in second.text
    assert 'rel="next"' not in second.text
    body = rows(second.text)[1:]
    assert [row[0][1][0] for row in body] == [f"/alternants/{lid(i)}" for i in range(36, EXTRA)]
    for row in body:
        i = int(row[0][1][0].rsplit("-", 1)[1])
        assert row[column][0] == LEVELS[i % 3]
    # the open need on RARE names its peers in the cell, A first
    zz0 = next(row for row in rows(first.text)[1:] if row[0][1] == ["/alternants/zz-000"])
    assert zz0[header.index(RARE)][1] == ["/alternants/zz-002", "/alternants/zz-001"]


@pytest.mark.parametrize(("page", "code"), [("3", 404), ("0", 404), ("abc", 400), ("-1", 400)])
def test_a_page_out_of_range_is_a_french_error(served, page, code):
    done = trainer(served).get(f"/synoptique?page={page}")
    assert done.status == code
    assert "Traceback" not in done.text and '<html lang="fr">' in done.text


# --- peer matching ---------------------------------------------------------------------------


def test_peers_are_named_a_before_r_and_the_activity_filters(served):
    client = trainer(served)
    done = client.get(f"/entraide?activite={RARE}")
    assert done.status == 200, done.text
    body = rows(done.text)[1:]
    assert body and all(row[1][0].startswith(f"{RARE} ") for row in body)
    zz0 = next(row for row in body if row[0][1] == ["/alternants/zz-000"])
    assert zz0[3][1] == ["/alternants/zz-002", "/alternants/zz-001"]  # A, then R
    assert zz0[3][0].index("(A,") < zz0[3][0].index("(R,")

    everything = client.get("/entraide")
    assert everything.status == 200
    count = re.search(r"Besoins ouverts 1 à \d+ sur (\d+)\.", everything.text)
    assert count and int(count.group(1)) >= 1
    assert "/alternants/zz-000" in everything.text


@pytest.mark.parametrize("activity", ["99.9", "<script>", "%C3%A9"])
def test_an_unknown_activity_is_a_french_404(served, activity):
    done = trainer(served).get(f"/entraide?activite={activity}")
    assert done.status == 404
    assert "Activité inconnue" in done.text and "<script>" not in done.text


def test_peer_matching_pages(served):
    client = trainer(served)
    assert client.get("/entraide?page=1").status == 200
    assert client.get("/entraide?page=99").status == 404
    assert client.get(f"/entraide?activite={RARE}&page=2").status == 404


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("learner", "role", "person"),
    [(LEA, "tuteur", None), (LEA, "alternant", None), (LEA, "formateur", "fdupont")],
)
def test_only_a_trainer_over_the_whole_cohort_opens_them(served, learner, role, person):
    client = logged_in(served, learner, role, person)
    page = client.get(f"/alternants/{LEA}")
    assert page.status == 200
    assert 'href="/synoptique"' not in page.text and 'href="/entraide"' not in page.text
    for path in ("/synoptique", "/synoptique?page=2", "/entraide", f"/entraide?activite={RARE}"):
        done = client.get(path)
        assert done.status == 403, (path, done.status)
        assert "Accès refusé" in done.text and "Zz0" not in done.text


def test_the_trainer_has_the_links_in_the_navigation(served):
    page = trainer(served).get("/")
    assert page.status == 200
    assert '<a href="/synoptique">Synoptique</a>' in page.text
    assert '<a href="/entraide">Entraide entre pairs</a>' in page.text


# --- the learner's page ---------------------------------------------------------------------------


def test_the_trainer_sees_who_can_help_on_an_open_need(served):
    page = trainer(served).get("/alternants/zz-000")
    assert page.status == 200
    helpers = re.search(r'<p class="helpers">(.*?)</p>', page.text, re.S)
    assert helpers, page.text
    links = re.findall(r'href="(/alternants/[^"]+)"', helpers.group(1))
    assert links == ["/alternants/zz-002", "/alternants/zz-001"]  # A before R


@pytest.mark.parametrize(("role", "person"), [("tuteur", None), ("alternant", None)])
def test_a_tutor_or_apprentice_sees_no_other_learner(served, role, person):
    page = logged_in(served, "zz-000", role, person).get("/alternants/zz-000")
    assert page.status == 200
    assert "Besoin ouvert" in page.text  # the open need is shown…
    assert "Zz001" not in page.text and "Zz002" not in page.text  # …but not its peers
    assert 'class="helpers"' not in page.text
    assert "/alternants/zz-001" not in page.text and "/alternants/zz-002" not in page.text


# --- the pages put together are the whole table ----------------------------------------------


def test_the_pages_put_together_are_olap_match_and_the_static_synoptic_table(served, monkeypatch):
    """A page computes only its rows, with the cohort's peers: pages of 2 rows, put end
    to end, give what ``olap match`` and the static site compute over every learner."""
    import datetime as dt

    from olapcli.app import serve_cohort
    from olapcli.app.peers import match
    from olapcli.core.derive.grids import synoptic
    from olapcli.io.load import require_core, valid_learners
    from tests.conftest import TODAY

    SIZE = 2
    monkeypatch.setattr(serve_cohort, "PAGE_SIZE", SIZE)
    root, today = served.root, dt.date.fromisoformat(TODAY)
    for activity in (None, "1.1", RARE):
        whole = match(root, activity).matches
        pages, page = [], 1
        while True:
            found = serve_cohort.pairs_page(root, page, activity)
            assert found["paging"].pages == max(1, -(-len(whole) // SIZE))
            pages += [(lrn.id, need.id, count) for lrn, need, _named, count in found["rows"]]
            if page == found["paging"].pages:
                break
            page += 1
        assert pages == [(m.learner, m.need.id, len(m.peers)) for m in whole], activity
    needs = [m.learner for m in match(root).matches]
    assert len(needs) > SIZE and len(set(needs)) < len(needs)  # a learner with several

    learners = [m for _r, m in valid_learners(root)]
    cells = synoptic(learners, require_core(root).referentiel, today)
    order = sorted(learners, key=lambda m: (m.last_name, m.first_name, m.id))
    seen = []
    for page in range(1, -(-len(order) // SIZE) + 1):
        found = serve_cohort.synoptic_page(root, page, today)
        for learner in found["learners"]:
            seen.append(learner.id)
            assert found["cells"][learner.id] == cells[learner.id], learner.id
    assert seen == [m.id for m in order]
    with pytest.raises(serve_cohort.NoSuchPage):
        serve_cohort.synoptic_page(root, len(order) // SIZE + 2, today)
