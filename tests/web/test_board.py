"""The trainer's dashboard on a cohort too large to list in full (bench.gen's learners):
each section says its count and shows its first rows; its full list comes page by page,
every row once; the lists are the trainer's of the whole cohort only; the board kept in
memory never hides a write (a need signalled through the form is on the next page)."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bench.gen import generate
from tests.conftest import TODAY, make_repo
from tests.web.conftest import LEA, Client, Server, start
from tests.web.test_serve_access import logged_in, need_form

#: a day of the generated cohort when every section but one has rows, two of them more
#: than the dashboard shows and more than one page
DAY = "2026-04-14"
SIZE = 150
FIRST, PER_PAGE = 20, 50
SECTIONS = ("semaine", "en-retard", "a-confirmer", "sans-besoin")
HEADINGS = {
    "semaine": "Échéance cette semaine",
    "en-retard": "En retard",
    "a-confirmer": "En attente de la confirmation de l&#39;entreprise",
    "sans-besoin": "Aucun nouveau besoin depuis le",
}
ROW = re.compile(
    r'<tr><th scope="row"><a href="/alternants/([^"]+)">[^<]*</a></th>\s*'
    r'<td>([^<]*)</td><td class="date">([^<]*)</td>'
)
ITEM = re.compile(r'<li><a href="/alternants/([^"]+)">')


def expected(root: Path, today: dt.date) -> dict[str, list[tuple[str, ...]]]:
    """Each section's rows, in order, read from the YAML files themselves (not through
    olap's model): (learner, activity, due) for a need, (learner,) for a learner."""
    cohort = yaml.safe_load((root / "cohort.yaml").read_text(encoding="utf-8"))
    starts = [p["start"] for p in cohort.get("periods") or [] if p["start"] <= today]
    since = max(starts) if starts else cohort["start"]
    week = today + dt.timedelta(days=7)
    rows: dict[str, list[tuple[tuple[object, ...], tuple[str, ...]]]] = {s: [] for s in SECTIONS}
    for path in sorted((root / "learners").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        answered = {e.get("need") for e in data.get("evaluations") or []}
        needs = data.get("needs") or []
        name = data["last_name"]
        for need in needs:
            if need["id"] in answered:
                continue
            key = (need["due"], name, need["id"])
            row = (data["id"], str(need["activity"]), need["due"].isoformat())
            if need["due"] < today:
                rows["en-retard"].append((key, row))
            elif need["due"] <= week:
                rows["semaine"].append((key, row))
            if "entreprise" not in need["marked_by"]:
                rows["a-confirmer"].append((key, row))
        if not any(n["identified"] >= since for n in needs):
            rows["sans-besoin"].append(((name, data["id"]), (data["id"],)))
    return {s: [row for _k, row in sorted(found)] for s, found in rows.items()}


def shown(text: str, section: str) -> list[tuple[str, ...]]:
    """The rows of *text* (a page's part) as :func:`expected` gives them."""
    if section == "sans-besoin":
        return [(lid,) for lid in ITEM.findall(text)]
    return ROW.findall(text)


def part(page: str, section: str) -> str:
    """The dashboard's part under the heading of *section*."""
    after = page.split(f'<h2 id="{section}">', 1)[1]
    return after.split("<h2", 1)[0]


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """olap serve over a generated cohort of 150 learners, on a day when it has needs
    due this week."""
    monkeypatch.setenv("OLAP_TODAY", DAY)
    root = make_repo(generate(tmp_path / "cohorte", SIZE))
    yield from start(root)


def test_each_section_says_its_count_and_shows_its_first_rows(big):
    want = expected(big.root, dt.date.fromisoformat(DAY))
    assert len(want["en-retard"]) > PER_PAGE and len(want["sans-besoin"]) > 2 * PER_PAGE
    assert 0 < len(want["semaine"]) <= FIRST and not want["a-confirmer"]
    page = logged_in(big, "*", "formateur", "fdupont").get("/")
    assert page.status == 200
    for section in SECTIONS:
        text = part(page.text, section)
        count = re.search(r'<span class="count">\((\d+)\)</span>', text)
        assert count and int(count.group(1)) == len(want[section]), section
        assert shown(text, section) == want[section][:FIRST], section
        more = f'href="/tableau/{section}"' in text
        assert more == (len(want[section]) > FIRST), section
        if not want[section]:
            assert "Aucun." in text
    assert "Voir tout" in page.text and "Les 20 premiers sur 52." in page.text


def test_every_row_of_a_section_is_on_one_page_of_its_list(big):
    want = expected(big.root, dt.date.fromisoformat(DAY))
    trainer = logged_in(big, "*", "formateur", "fdupont")
    for section in SECTIONS:
        pages = max(1, -(-len(want[section]) // PER_PAGE))
        seen: list[tuple[str, ...]] = []
        path: str | None = f"/tableau/{section}"
        number = 0
        while path:
            done = trainer.get(path)
            number += 1
            assert done.status == 200, (path, done.status)
            assert f"Page {number} sur {pages}" in done.text
            assert HEADINGS[section] in done.text
            rows = shown(done.text, section)
            assert len(rows) <= PER_PAGE
            seen += rows
            found = re.search(r'href="(/tableau/[^"]+)" rel="next"', done.text)
            path = found.group(1).replace("&amp;", "&") if found else None
            if number > 1:
                assert f'href="/tableau/{section}?page={number - 1}" rel="prev"' in done.text
        assert number == pages, section
        assert seen == want[section], section  # all of them, each once, in order
        beyond = trainer.get(f"/tableau/{section}?page={pages + 1}")
        assert beyond.status == 404 and "Page introuvable" in beyond.text


@pytest.mark.parametrize(
    "page", ["0", "-1", "abc", "1.5", "", "%D9%A1", "9999999999", "%2B1", "1_0"]
)
def test_a_page_number_that_is_none_is_a_french_404(serve, page):
    trainer = logged_in(serve, "*", "formateur", "fdupont")
    done = trainer.get(f"/tableau/en-retard?page={page}")
    assert done.status == 404 and "Page introuvable" in done.text
    assert trainer.get("/tableau/en-retard?page=1").status == 200


@pytest.mark.parametrize("section", ["inconnue", "due_week", "..", "%2e%2e"])
def test_an_unknown_section_is_a_french_404(serve, section):
    done = logged_in(serve, "*", "formateur", "fdupont").get(f"/tableau/{section}")
    assert done.status == 404 and "Page introuvable" in done.text


@pytest.mark.parametrize(
    ("learner", "role", "person"),
    [(LEA, "tuteur", None), (LEA, "alternant", None), (LEA, "formateur", "fdupont")],
)
def test_the_lists_are_for_a_trainer_of_the_whole_cohort_only(serve, learner, role, person):
    client = logged_in(serve, learner, role, person)
    for section in SECTIONS:
        done = client.get(f"/tableau/{section}")
        assert done.status == 403 and "Accès refusé" in done.text, section
    assert serve.client().get("/tableau/en-retard").status == 403  # no session


def test_a_need_signalled_through_the_form_is_on_the_next_dashboard(serve):
    from olapcli.app.dashboard import BOARDS
    from olapcli.io.store import RACY

    settle = RACY / 1e9 + 0.2  # files this old: the board made from them is kept
    tutor = logged_in(serve, LEA, "tuteur")
    trainer = logged_in(serve, "*", "formateur", "fdupont")
    form = f"/alternants/{LEA}/besoins/nouveau"
    csrf = tutor.csrf(form)
    time.sleep(settle)
    before = trainer.get("/")
    assert trainer.get("/").text == before.text
    assert BOARDS.kept[serve.root].key is not None  # kept: the next GET reads memory
    week = count(before.text, "semaine")
    # a write seen by its file's stat (the board kept is made again)…
    done = tutor.post(form, need_form(csrf, detail="Signalé d'abord", due="2026-11-24"))
    assert done.status == 303
    time.sleep(settle)
    after = trainer.get("/")
    assert "Signalé d&#39;abord" in part(after.text, "semaine")
    assert count(after.text, "semaine") == week + 1
    assert BOARDS.kept[serve.root].key is not None
    # …and one GET at once, while its file is too recent to trust its stat
    done = tutor.post(form, need_form(csrf, detail="Signalé ensuite", due="2026-11-25"))
    assert done.status == 303
    after = trainer.get("/")
    assert "Signalé ensuite" in part(after.text, "semaine")
    assert count(after.text, "semaine") == week + 2
    listed = trainer.get("/tableau/semaine").text
    assert "Signalé d&#39;abord" in listed and "Signalé ensuite" in listed


def count(page: str, section: str) -> int:
    found = re.search(r'<span class="count">\((\d+)\)</span>', part(page, section))
    assert found, section
    return int(found.group(1))


def test_trainers_at_once_get_the_board_kept(serve):
    """Eight trainers at once, the files settled: the same page for each, from the one
    board kept."""
    import threading

    from olapcli.app.dashboard import BOARDS, dashboard
    from olapcli.io.store import RACY

    trainers: list[Client] = [logged_in(serve, "*", "formateur", "fdupont") for _ in range(8)]
    time.sleep(RACY / 1e9 + 0.2)
    pages: list[str] = []
    lock = threading.Lock()

    def one(client: Client) -> None:
        # each session has its own CSRF token (the logout form): the rest is the board
        text = re.sub(r'name="csrf" value="[^"]+"', 'name="csrf"', client.get("/").text)
        with lock:
            pages.append(text)

    threads = [threading.Thread(target=one, args=(c,)) for c in trainers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(pages) == 8 and len(set(pages)) == 1 and "En retard" in pages[0]
    assert TODAY in pages[0]
    kept = BOARDS.kept[serve.root].board
    assert kept is not None and dashboard(serve.root, dt.date.fromisoformat(TODAY)) is kept


def test_boards_read_while_files_change_end_on_the_files(cohort_repo):
    """Threads asking for the board while a learner file changes under them: no error,
    and once the writes stop, the board is the one the files give."""
    import threading

    from olapcli.app.dashboard import dashboard, make
    from olapcli.io.store import RACY

    today = dt.date.fromisoformat(TODAY)
    path = cohort_repo / "learners" / f"{LEA}.yaml"
    text = path.read_text(encoding="utf-8")
    stop = threading.Event()
    failures: list[BaseException] = []

    def read() -> None:
        while not stop.is_set():
            try:
                dashboard(cohort_repo, today)
            except BaseException as exc:
                failures.append(exc)
                return

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for k in range(10):  # written as olap writes: a new file renamed over the old one
        tmp = path.with_name(f".{LEA}.tmp")
        tmp.write_text(text.replace("Martin", f"Martin{k}"), encoding="utf-8")
        tmp.replace(path)
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join()
    assert failures == []
    time.sleep(RACY / 1e9 + 0.2)
    board = dashboard(cohort_repo, today)
    assert board == make(cohort_repo, today)
    assert "Martin9" in {m.last_name for m in board.quiet} | {
        m.last_name for m, _n in board.overdue + board.awaiting
    }
